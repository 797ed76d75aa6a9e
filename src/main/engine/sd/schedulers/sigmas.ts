/**
 * The sigma (k-diffusion) view of the schedule that both Euler schedulers share, per diffusers'
 * `EulerDiscreteScheduler.set_timesteps` with linear interpolation:
 *   σ(t) = √((1 − ᾱ_t) / ᾱ_t) at the training timesteps, linearly interpolated (numpy.interp)
 *   at the inference timesteps, which may be fractional under `linspace`; a final σ = 0 is
 *   appended. In sigma space x_t = x0 + σ·ε, so the U-Net (trained on √ᾱ·x0 + √(1−ᾱ)·ε) is
 *   fed x_t / √(σ² + 1).
 * init_noise_sigma is max σ for `linspace` and `trailing` spacing and √(max σ² + 1) for
 * `leading` (diffusers' property; SD's config under Euler is linspace: ≈ 14.6146).
 */
import { assertSameLength, computeAlphasCumprod, interpAtIndex, spacedTimesteps } from './common'
import type { SchedulerConfig } from './types'

export class SigmaSchedule {
  /** σ at every training timestep, index = timestep */
  readonly trainSigmas: Float64Array
  timesteps: number[] = []
  /** σ per inference step, plus the final 0 */
  sigmas: number[] = []

  constructor(readonly config: SchedulerConfig) {
    this.trainSigmas = computeAlphasCumprod(config).map((a) => Math.sqrt((1 - a) / a))
  }

  setTimesteps(steps: number): void {
    this.timesteps = spacedTimesteps(this.config, steps, false)
    this.sigmas = [...this.timesteps.map((t) => interpAtIndex(this.trainSigmas, t)), 0]
  }

  get initNoiseSigma(): number {
    // Before setTimesteps diffusers' schedule spans all training timesteps.
    const max =
      this.sigmas.length > 0
        ? Math.max(...this.sigmas)
        : (this.trainSigmas[this.trainSigmas.length - 1] ?? 1)
    return this.config.timestepSpacing === 'leading' ? Math.sqrt(max * max + 1) : max
  }

  /** Position of `timestep` in the schedule; the pipeline passes values from `timesteps`. */
  indexOf(timestep: number, who: string): number {
    if (this.timesteps.length === 0) throw new Error(`${who}: call setTimesteps before step.`)
    const index = this.timesteps.indexOf(timestep)
    if (index < 0) {
      throw new RangeError(`${who}: timestep ${timestep} is not in the current schedule.`)
    }
    return index
  }

  sigmaAt(index: number): number {
    return this.sigmas[index] ?? 0
  }

  /** x / √(σ² + 1) */
  scaleModelInput(sample: Float32Array, timestep: number, who: string): Float32Array {
    const sigma = this.sigmaAt(this.indexOf(timestep, who))
    const scale = 1 / Math.sqrt(sigma * sigma + 1)
    const out = new Float32Array(sample.length)
    for (let i = 0; i < out.length; i++) out[i] = (sample[i] ?? 0) * scale
    return out
  }

  /**
   * x0 predicted from the U-Net output at σ:
   *   epsilon:      x0 = x − σ·ε
   *   v_prediction: x0 = v·(−σ / √(σ² + 1)) + x / (σ² + 1)
   */
  predictOriginal(modelOutput: Float32Array, sample: Float32Array, sigma: number): Float64Array {
    const out = new Float64Array(sample.length)
    if (this.config.predictionType === 'v_prediction') {
      const c1 = -sigma / Math.sqrt(sigma * sigma + 1)
      const c2 = 1 / (sigma * sigma + 1)
      for (let i = 0; i < out.length; i++)
        out[i] = (modelOutput[i] ?? 0) * c1 + (sample[i] ?? 0) * c2
    } else {
      for (let i = 0; i < out.length; i++) out[i] = (sample[i] ?? 0) - sigma * (modelOutput[i] ?? 0)
    }
    return out
  }

  /**
   * x0 + σ(t)·ε, σ interpolated at `timestep` over the training sigmas: equal to diffusers'
   * `add_noise` for scheduled timesteps, and defined for any t in [0, T − 1] (for training).
   */
  addNoise(original: Float32Array, noise: Float32Array, timestep: number): Float32Array {
    assertSameLength(original, noise, 'addNoise')
    const last = this.config.numTrainTimesteps - 1
    if (!Number.isFinite(timestep) || timestep < 0 || timestep > last) {
      throw new RangeError(`Timestep ${timestep} is outside the training range 0..${last}.`)
    }
    const sigma = interpAtIndex(this.trainSigmas, timestep)
    const out = new Float32Array(original.length)
    for (let i = 0; i < out.length; i++) out[i] = (original[i] ?? 0) + sigma * (noise[i] ?? 0)
    return out
  }
}
