import { describe, expect, it } from 'vitest'
import { createScheduler, type Scheduler } from '../../../../src/main/engine/sd/schedulers'
import {
  SD_ALPHAS,
  SD_CONFIG,
  fixedNoise,
  maxAbsDiff,
  pattern,
  perfectModel,
} from './scheduler-reference'

const N = 64

function run(s: Scheduler, xT: Float32Array, model: (x: Float32Array, t: number) => Float32Array) {
  let x = xT
  for (const t of s.timesteps) x = s.step(model(s.scaleModelInput(x, t), t), t, x)
  return x
}

describe('DDIM', () => {
  it('uses SD timesteps [981, 961, …, 1] for 50 steps with steps_offset 1', () => {
    const s = createScheduler('ddim', SD_CONFIG)
    s.setTimesteps(50)
    expect(s.timesteps).toHaveLength(50)
    expect(s.timesteps[0]).toBe(981)
    expect(s.timesteps[1]).toBe(961)
    expect(s.timesteps[49]).toBe(1)
    expect(s.timesteps).toEqual(Array.from({ length: 50 }, (_, i) => 981 - 20 * i))
    expect(s.initNoiseSigma).toBe(1)
  })

  it('takes one step to the closed-form x_{t−1} (epsilon, eta 0)', () => {
    // x_prev = √ᾱ_prev · (x_t − √(1−ᾱ_t) ε)/√ᾱ_t + √(1−ᾱ_prev) · ε, t = 981, prev = 961
    const s = createScheduler('ddim', SD_CONFIG)
    s.setTimesteps(50)
    const x = pattern(N, 0)
    const eps = pattern(N, 1)
    const a = SD_ALPHAS[981] ?? NaN
    const ap = SD_ALPHAS[961] ?? NaN
    const expected = Float32Array.from(x, (xi, i) => {
      const e = eps[i] ?? 0
      const x0 = (xi - Math.sqrt(1 - a) * e) / Math.sqrt(a)
      return Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * e
    })
    expect(maxAbsDiff(s.step(eps, 981, x), expected)).toBeLessThan(1e-6)
  })

  it('uses final_alpha_cumprod = ᾱ_0 after the last step when set_alpha_to_one is false', () => {
    const s = createScheduler('ddim', SD_CONFIG)
    s.setTimesteps(50)
    const x = pattern(N, 2)
    const eps = pattern(N, 3)
    const a = SD_ALPHAS[1] ?? NaN
    const ap = 0.99915 // ᾱ_0, since prev = 1 − 20 < 0
    const expected = Float32Array.from(x, (xi, i) => {
      const e = eps[i] ?? 0
      return Math.sqrt(ap) * ((xi - Math.sqrt(1 - a) * e) / Math.sqrt(a)) + Math.sqrt(1 - ap) * e
    })
    expect(maxAbsDiff(s.step(eps, 1, x), expected)).toBeLessThan(1e-6)
  })

  it('converts v-prediction: x0 = √ᾱ x − √(1−ᾱ) v, ε = √ᾱ v + √(1−ᾱ) x', () => {
    const s = createScheduler('ddim', { ...SD_CONFIG, prediction_type: 'v_prediction' })
    s.setTimesteps(50)
    const x = pattern(N, 4)
    const v = pattern(N, 5)
    const a = SD_ALPHAS[501] ?? NaN
    const ap = SD_ALPHAS[481] ?? NaN
    const expected = Float32Array.from(x, (xi, i) => {
      const vi = v[i] ?? 0
      const x0 = Math.sqrt(a) * xi - Math.sqrt(1 - a) * vi
      const e = Math.sqrt(a) * vi + Math.sqrt(1 - a) * xi
      return Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * e
    })
    expect(maxAbsDiff(s.step(v, 501, x), expected)).toBeLessThan(1e-6)
  })

  it('adds σ_t·z with σ_t = η √((1−ᾱ_prev)/(1−ᾱ_t)) √(1 − ᾱ_t/ᾱ_prev) when eta > 0', () => {
    const eta = 0.7
    const s = createScheduler('ddim', SD_CONFIG, { eta })
    s.setTimesteps(50)
    const x = pattern(N, 6)
    const eps = pattern(N, 7)
    const z = pattern(N, 8)
    const a = SD_ALPHAS[481] ?? NaN
    const ap = SD_ALPHAS[461] ?? NaN
    const sigma = eta * Math.sqrt(((1 - ap) / (1 - a)) * (1 - a / ap))
    const expected = Float32Array.from(x, (xi, i) => {
      const e = eps[i] ?? 0
      const x0 = (xi - Math.sqrt(1 - a) * e) / Math.sqrt(a)
      return Math.sqrt(ap) * x0 + Math.sqrt(1 - ap - sigma * sigma) * e + sigma * (z[i] ?? 0)
    })
    const out = s.step(
      eps,
      481,
      x,
      fixedNoise(() => z),
    )
    expect(maxAbsDiff(out, expected)).toBeLessThan(1e-6)
    expect(() => s.step(eps, 481, x)).toThrow(/eta > 0 needs a noise source/)
  })

  it('clamps x0 when clip_sample is on (diffusers’ DDIM default)', () => {
    const s = createScheduler('ddim', { ...SD_CONFIG, clip_sample: true })
    s.setTimesteps(50)
    const x = new Float32Array([5, -5])
    const eps = new Float32Array([0, 0])
    const ap = SD_ALPHAS[961] ?? NaN
    // ε = 0 so x0 = x/√ᾱ_t, far outside ±1; clamped: x_prev = √ᾱ_prev · (±1)
    const out = s.step(eps, 981, x)
    expect(out[0]).toBeCloseTo(Math.sqrt(ap), 6)
    expect(out[1]).toBeCloseTo(-Math.sqrt(ap), 6)
  })

  it('recovers x0 exactly from x_T with a model that predicts the true noise', () => {
    const x0 = pattern(N, 9)
    const eps = pattern(N, 10)
    for (const prediction of ['epsilon', 'v_prediction'] as const) {
      const s = createScheduler('ddim', {
        ...SD_CONFIG,
        set_alpha_to_one: true,
        prediction_type: prediction,
      })
      s.setTimesteps(25)
      const tFirst = s.timesteps[0] ?? 0
      const xT = s.addNoise(x0, eps, tFirst)
      const model = perfectModel(x0, (t) => SD_ALPHAS[t] ?? NaN, prediction)
      expect(maxAbsDiff(run(s, xT, model), x0), prediction).toBeLessThan(1e-5)
    }
  })

  it("lands within √(1−ᾱ_0)·|ε| of x0 with SD's set_alpha_to_one = false", () => {
    const x0 = pattern(N, 11)
    const eps = pattern(N, 12)
    const s = createScheduler('ddim', SD_CONFIG)
    s.setTimesteps(50)
    const out = run(
      s,
      s.addNoise(x0, eps, 981),
      perfectModel(x0, (t) => SD_ALPHAS[t] ?? NaN),
    )
    // the last step stops at ᾱ_0: x = √ᾱ_0 x0 + √(1−ᾱ_0) ε exactly
    const expected = Float32Array.from(
      x0,
      (v, i) => Math.sqrt(0.99915) * v + Math.sqrt(0.00085) * (eps[i] ?? 0),
    )
    expect(maxAbsDiff(out, expected)).toBeLessThan(1e-5)
    expect(maxAbsDiff(out, x0)).toBeLessThan(0.03)
  })

  it('adds noise by q(x_t|x_0) = √ᾱ_t x0 + √(1−ᾱ_t) ε', () => {
    const s = createScheduler('ddim', SD_CONFIG)
    const x0 = pattern(N, 13)
    const eps = pattern(N, 14)
    const a = SD_ALPHAS[600] ?? NaN
    const expected = Float32Array.from(
      x0,
      (v, i) => Math.sqrt(a) * v + Math.sqrt(1 - a) * (eps[i] ?? 0),
    )
    expect(maxAbsDiff(s.addNoise(x0, eps, 600), expected)).toBeLessThan(1e-6)
    expect(() => s.addNoise(x0, eps, 1000)).toThrow(/not a training timestep/)
    expect(() => s.addNoise(x0, eps, 10.5)).toThrow(/not a training timestep/)
  })

  it('refuses to step before setTimesteps', () => {
    const s = createScheduler('ddim', SD_CONFIG)
    expect(() => s.step(pattern(4, 0), 981, pattern(4, 1))).toThrow(/setTimesteps/)
  })
})
