/**
 * Independent reference math for the scheduler tests, written from the published formulas
 * (DDPM, latent diffusion's scaled_linear betas, k-diffusion sigmas) with plain loops, and a
 * synthetic "perfect" U-Net for trajectory tests.
 */
import type { NoiseSource } from '../../../../src/main/engine/sd/noise'

/** SD 1.x / 2.x scheduler_config.json (as PNDM ships it for SD 1.5). */
export const SD_CONFIG = {
  _class_name: 'PNDMScheduler',
  _diffusers_version: '0.6.0',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  num_train_timesteps: 1000,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
  trained_betas: null,
  clip_sample: false,
}

/**
 * ᾱ_t for scaled_linear: β_i = (√β₀ + i·(√β₁ − √β₀)/(T−1))², ᾱ_t = Π_{i≤t}(1 − β_i).
 * Deliberately a separate loop from src/ (no linspace helper, no typed arrays).
 */
export function referenceAlphasCumprod(betaStart: number, betaEnd: number, T = 1000): number[] {
  const out: number[] = []
  let prod = 1
  for (let i = 0; i < T; i++) {
    const root = Math.sqrt(betaStart) + (i * (Math.sqrt(betaEnd) - Math.sqrt(betaStart))) / (T - 1)
    prod *= 1 - root * root
    out.push(prod)
  }
  return out
}

export const SD_ALPHAS = referenceAlphasCumprod(0.00085, 0.012)

/** k-diffusion σ(t) = √((1 − ᾱ_t)/ᾱ_t), linearly interpolated for fractional t. */
export function referenceSigma(t: number, alphas: readonly number[] = SD_ALPHAS): number {
  const s = (i: number): number => {
    const a = alphas[i] ?? NaN
    return Math.sqrt((1 - a) / a)
  }
  const lo = Math.floor(t)
  if (lo === t) return s(t)
  return s(lo) + (s(lo + 1) - s(lo)) * (t - lo)
}

/** Deterministic pseudo-data in roughly [-1, 1]. */
export function pattern(n: number, phase: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + phase) * 0.9)
}

/**
 * A U-Net that knows x0: given its (VP-scaled) input u = √ᾱ·x0 + √(1−ᾱ)·ε at ᾱ, it returns
 * the exact ε, or v = √ᾱ·ε − √(1−ᾱ)·x0 for v-prediction.
 */
export function perfectModel(
  x0: Float32Array,
  alphaBar: (timestep: number) => number,
  prediction: 'epsilon' | 'v_prediction' = 'epsilon',
): (input: Float32Array, timestep: number) => Float32Array {
  return (input, timestep) => {
    const a = alphaBar(timestep)
    const sa = Math.sqrt(a)
    const sb = Math.sqrt(1 - a)
    return Float32Array.from(input, (u, i) => {
      const eps = (u - sa * (x0[i] ?? 0)) / sb
      return prediction === 'epsilon' ? eps : sa * eps - sb * (x0[i] ?? 0)
    })
  }
}

/** ᾱ at a possibly fractional timestep, via σ: ᾱ = 1 / (1 + σ²). */
export function alphaFromSigma(t: number): number {
  const s = referenceSigma(t)
  return 1 / (1 + s * s)
}

/** A noise source that replays fixed numbers, to check how a scheduler uses them. */
export function fixedNoise(values: (n: number) => Float32Array): NoiseSource {
  return { normal: values, uniform: () => 0.5 }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)))
  return m
}
