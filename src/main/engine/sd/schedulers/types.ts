/**
 * The scheduler contract, after diffusers' `SchedulerMixin`: the pipeline asks for a timestep
 * list, scales the U-Net input, and hands each U-Net output back to `step`. Schedulers own no
 * model and no randomness; when a step needs fresh noise (DDIM with eta > 0, Euler ancestral)
 * the caller passes a {@link NoiseSource}, so the seed stays the pipeline's business.
 *
 * Tensors are flat Float32Arrays in whatever layout the latents use (every operation here is
 * elementwise); the schedule itself (betas, alphas_cumprod, sigmas) is float64.
 */
import type { NoiseSource } from '../noise'

export type SchedulerName = 'ddim' | 'pndm' | 'euler' | 'euler-a'
export const SCHEDULER_NAMES: readonly SchedulerName[] = ['ddim', 'pndm', 'euler', 'euler-a']

export type BetaSchedule = 'linear' | 'scaled_linear' | 'squaredcos_cap_v2'
/** what the U-Net predicts: the noise (SD1, SD2-base) or v = α·ε − σ·x0 (SD2 768-v) */
export type PredictionType = 'epsilon' | 'v_prediction'
/** how inference timesteps are spread over the training range (diffusers' names) */
export type TimestepSpacing = 'leading' | 'linspace' | 'trailing'

/** scheduler_config.json after parsing and defaults; field names are the JSON keys in camelCase. */
export interface SchedulerConfig {
  readonly numTrainTimesteps: number
  readonly betaStart: number
  readonly betaEnd: number
  readonly betaSchedule: BetaSchedule
  /** explicit betas, overriding the schedule when present */
  readonly trainedBetas: readonly number[] | null
  /** added to every timestep under `leading` spacing (SD ships 1) */
  readonly stepsOffset: number
  /** DDIM/PNDM: use alpha_cumprod = 1 for the step after the last one (else alphas_cumprod[0]) */
  readonly setAlphaToOne: boolean
  /** PNDM: skip the Runge–Kutta warm-up and run PLMS only (SD ships true) */
  readonly skipPrkSteps: boolean
  readonly predictionType: PredictionType
  readonly timestepSpacing: TimestepSpacing
  /** DDIM: clamp the predicted x0 to ±clipSampleRange (SD ships false) */
  readonly clipSample: boolean
  readonly clipSampleRange: number
}

export interface Scheduler {
  readonly name: SchedulerName
  /** multiply N(0, 1) latents by this before the first step */
  readonly initNoiseSigma: number
  /** descending timesteps to feed the U-Net, in order (empty before setTimesteps) */
  readonly timesteps: readonly number[]
  /** builds the schedule for `steps` inference steps and resets any multistep state */
  setTimesteps(steps: number): void
  /** what the U-Net should see at `timestep` (identity except for the Euler family) */
  scaleModelInput(sample: Float32Array, timestep: number): Float32Array
  /** one denoising step: x_t and the model output at `timestep` give the next, less noisy x */
  step(
    modelOutput: Float32Array,
    timestep: number,
    sample: Float32Array,
    noise?: NoiseSource,
  ): Float32Array
  /** the forward process q(x_t | x_0): `original` noised to `timestep` with `noise` */
  addNoise(original: Float32Array, noise: Float32Array, timestep: number): Float32Array
}

export interface SchedulerOptions {
  /** DDIM only: 0 is deterministic DDIM, 1 is DDPM-like; > 0 needs a noise source in step */
  eta?: number
}
