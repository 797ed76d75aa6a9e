/**
 * Schedule math shared by the schedulers, each function a transcription of the diffusers code
 * it names. Scalars are float64 throughout (diffusers keeps alphas_cumprod in float32; the
 * difference is below 1e-6 relative and does not change any integer timestep).
 */
import type { SchedulerConfig } from './types'

/** `betas` per diffusers' `__init__` (linear, scaled_linear, squaredcos_cap_v2, trained). */
export function computeBetas(config: SchedulerConfig): Float64Array {
  const n = config.numTrainTimesteps
  if (config.trainedBetas !== null) return Float64Array.from(config.trainedBetas)
  switch (config.betaSchedule) {
    case 'linear':
      return linspace(config.betaStart, config.betaEnd, n)
    case 'scaled_linear':
      // "this schedule is very specific to the latent diffusion model"
      return linspace(Math.sqrt(config.betaStart), Math.sqrt(config.betaEnd), n).map((b) => b * b)
    case 'squaredcos_cap_v2':
      return betasForAlphaBar(n)
  }
}

/** `alphas_cumprod = cumprod(1 - betas)` */
export function computeAlphasCumprod(config: SchedulerConfig): Float64Array {
  const betas = computeBetas(config)
  const out = new Float64Array(betas.length)
  let prod = 1
  betas.forEach((beta, i) => {
    prod *= 1 - beta
    out[i] = prod
  })
  return out
}

/** Improved-DDPM cosine schedule (`betas_for_alpha_bar`, max_beta 0.999). */
function betasForAlphaBar(n: number): Float64Array {
  const alphaBar = (t: number): number => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    out[i] = Math.min(1 - alphaBar((i + 1) / n) / alphaBar(i / n), 0.999)
  }
  return out
}

/** numpy's `linspace(start, stop, num)`: `start + i * step`, last element exactly `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num)
  if (num === 1) {
    out[0] = start
    return out
  }
  const step = (stop - start) / (num - 1)
  for (let i = 0; i < num; i++) out[i] = start + i * step
  out[num - 1] = stop
  return out
}

/** numpy's `round` (half to even). */
export function roundHalfEven(v: number): number {
  const floor = Math.floor(v)
  const diff = v - floor
  if (diff > 0.5) return floor + 1
  if (diff < 0.5) return floor
  return floor % 2 === 0 ? floor : floor + 1
}

/** numpy's `arange(start, stop, step)` for a float step. */
function arange(start: number, stop: number, step: number): number[] {
  const length = Math.max(0, Math.ceil((stop - start) / step))
  return Array.from({ length }, (_, i) => start + i * step)
}

export function assertSteps(steps: number, config: SchedulerConfig): void {
  if (!Number.isInteger(steps) || steps < 1 || steps > config.numTrainTimesteps) {
    throw new RangeError(
      `Steps must be a whole number from 1 to ${config.numTrainTimesteps} (the model's ` +
        `training timesteps), got ${String(steps)}.`,
    )
  }
}

/**
 * Inference timesteps, descending, per `timestep_spacing`, as DDIM and the Euler schedulers
 * compute them in `set_timesteps`. `linspace` is the only spacing whose values are fractional;
 * `integer` rounds them (DDIM, PNDM), otherwise they are kept as float32 (Euler), which is what
 * the U-Net receives in diffusers.
 */
export function spacedTimesteps(
  config: SchedulerConfig,
  steps: number,
  integer: boolean,
): number[] {
  assertSteps(steps, config)
  const T = config.numTrainTimesteps
  switch (config.timestepSpacing) {
    case 'linspace':
      return Array.from(linspace(0, T - 1, steps), (t) =>
        integer ? roundHalfEven(t) : Math.fround(t),
      ).reverse()
    case 'leading': {
      const ratio = Math.floor(T / steps)
      return Array.from({ length: steps }, (_, i) => i * ratio + config.stepsOffset).reverse()
    }
    case 'trailing':
      return arange(T, 0, -T / steps).map((t) => roundHalfEven(t) - 1)
  }
}

/** numpy's `interp(x, arange(len(fp)), fp)`: linear, clamped at both ends. */
export function interpAtIndex(fp: Float64Array, x: number): number {
  const last = fp.length - 1
  if (x <= 0) return fp[0] ?? 0
  if (x >= last) return fp[last] ?? 0
  const j = Math.floor(x)
  const lo = fp[j] ?? 0
  const hi = fp[j + 1] ?? 0
  return (hi - lo) * (x - j) + lo
}

/** Integer index into alphas_cumprod, with an error that says what went wrong. */
export function trainIndex(timestep: number, config: SchedulerConfig): number {
  if (!Number.isInteger(timestep) || timestep < 0 || timestep >= config.numTrainTimesteps) {
    throw new RangeError(
      `Timestep ${timestep} is not a training timestep (a whole number from 0 to ` +
        `${config.numTrainTimesteps - 1}).`,
    )
  }
  return timestep
}

/** alphas_cumprod[t], or `final` for t < 0 (the step past the end of the schedule). */
export function alphaAt(alphasCumprod: Float64Array, t: number, final: number): number {
  return t >= 0 ? (alphasCumprod[t] ?? final) : final
}

export function assertSameLength(a: Float32Array, b: Float32Array, what: string): void {
  if (a.length !== b.length) {
    throw new RangeError(`${what}: tensors differ in size (${a.length} vs ${b.length}).`)
  }
}

/** DDPM's `add_noise`: sqrt(ᾱ_t)·x0 + sqrt(1 − ᾱ_t)·ε. */
export function addNoiseDdpm(
  alphasCumprod: Float64Array,
  config: SchedulerConfig,
  original: Float32Array,
  noise: Float32Array,
  timestep: number,
): Float32Array {
  assertSameLength(original, noise, 'addNoise')
  const a = alphasCumprod[trainIndex(timestep, config)] ?? 1
  const sa = Math.sqrt(a)
  const sb = Math.sqrt(1 - a)
  const out = new Float32Array(original.length)
  for (let i = 0; i < out.length; i++) out[i] = sa * (original[i] ?? 0) + sb * (noise[i] ?? 0)
  return out
}
