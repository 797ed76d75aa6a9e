/**
 * DDIM (Song et al. 2020), transcribed from diffusers' `scheduling_ddim.py`.
 *
 * One step from t to prev = t − T / steps (integer division, whatever the spacing, as diffusers
 * does), with ᾱ = alphas_cumprod and ᾱ_prev = final_alpha_cumprod once prev < 0:
 *   x0  = (x_t − √(1−ᾱ_t)·ε) / √ᾱ_t                   (epsilon)
 *   x0  = √ᾱ_t·x_t − √(1−ᾱ_t)·v,  ε = √ᾱ_t·v + √(1−ᾱ_t)·x_t   (v_prediction)
 *   σ_t = η·√((1−ᾱ_prev)/(1−ᾱ_t)·(1 − ᾱ_t/ᾱ_prev))
 *   x_prev = √ᾱ_prev·x0 + √(1−ᾱ_prev−σ_t²)·ε + σ_t·z
 * x0 is clamped to ±clip_sample_range first when clip_sample is on (diffusers' DDIM default,
 * though SD configs turn it off).
 */
import type { NoiseSource } from '../noise'
import {
  addNoiseDdpm,
  alphaAt,
  assertSameLength,
  computeAlphasCumprod,
  spacedTimesteps,
  trainIndex,
} from './common'
import type { Scheduler, SchedulerConfig, SchedulerName } from './types'

export class DdimScheduler implements Scheduler {
  readonly name: SchedulerName = 'ddim'
  readonly initNoiseSigma = 1
  readonly alphasCumprod: Float64Array
  readonly finalAlphaCumprod: number
  private steps = 0
  private schedule: number[] = []

  constructor(
    readonly config: SchedulerConfig,
    readonly eta = 0,
  ) {
    if (!(eta >= 0) || !Number.isFinite(eta)) {
      throw new RangeError(`DDIM eta must be a number >= 0, got ${eta}.`)
    }
    this.alphasCumprod = computeAlphasCumprod(config)
    this.finalAlphaCumprod = config.setAlphaToOne ? 1 : (this.alphasCumprod[0] ?? 1)
  }

  get timesteps(): readonly number[] {
    return this.schedule
  }

  setTimesteps(steps: number): void {
    this.schedule = spacedTimesteps(this.config, steps, true)
    this.steps = steps
  }

  scaleModelInput(sample: Float32Array): Float32Array {
    return sample
  }

  step(
    modelOutput: Float32Array,
    timestep: number,
    sample: Float32Array,
    noise?: NoiseSource,
  ): Float32Array {
    if (this.steps === 0) throw new Error('DDIM: call setTimesteps before step.')
    assertSameLength(modelOutput, sample, 'DDIM step')
    const t = trainIndex(timestep, this.config)
    const prev = t - Math.floor(this.config.numTrainTimesteps / this.steps)
    const aT = alphaAt(this.alphasCumprod, t, this.finalAlphaCumprod)
    const aPrev = alphaAt(this.alphasCumprod, prev, this.finalAlphaCumprod)
    const bT = 1 - aT
    const variance = ((1 - aPrev) / bT) * (1 - aT / aPrev)
    const std = this.eta * Math.sqrt(variance)
    const direction = Math.sqrt(1 - aPrev - std * std)
    const sqrtA = Math.sqrt(aT)
    const sqrtB = Math.sqrt(bT)
    const sqrtAPrev = Math.sqrt(aPrev)
    const { clipSample, clipSampleRange: range } = this.config
    const v = this.config.predictionType === 'v_prediction'

    let z: Float32Array | undefined
    if (this.eta > 0) {
      if (noise === undefined) throw new Error('DDIM with eta > 0 needs a noise source in step.')
      z = noise.normal(sample.length)
    }
    const out = new Float32Array(sample.length)
    for (let i = 0; i < out.length; i++) {
      const x = sample[i] ?? 0
      const m = modelOutput[i] ?? 0
      let x0 = v ? sqrtA * x - sqrtB * m : (x - sqrtB * m) / sqrtA
      const eps = v ? sqrtA * m + sqrtB * x : m
      if (clipSample) x0 = Math.min(range, Math.max(-range, x0))
      let prevSample = sqrtAPrev * x0 + direction * eps
      if (z !== undefined) prevSample += std * (z[i] ?? 0)
      out[i] = prevSample
    }
    return out
  }

  addNoise(original: Float32Array, noise: Float32Array, timestep: number): Float32Array {
    return addNoiseDdpm(this.alphasCumprod, this.config, original, noise, timestep)
  }
}
