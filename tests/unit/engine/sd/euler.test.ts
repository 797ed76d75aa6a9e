import { describe, expect, it } from 'vitest'
import { createNoiseSource } from '../../../../src/main/engine/sd/noise'
import {
  EulerAncestralScheduler,
  EulerScheduler,
  createScheduler,
  type Scheduler,
} from '../../../../src/main/engine/sd/schedulers'
import {
  SD_CONFIG,
  alphaFromSigma,
  fixedNoise,
  maxAbsDiff,
  pattern,
  perfectModel,
  referenceSigma,
} from './scheduler-reference'

const N = 32

function euler(config: Record<string, unknown> = SD_CONFIG): EulerScheduler {
  const s = createScheduler('euler', config)
  if (!(s instanceof EulerScheduler)) throw new Error('expected EulerScheduler')
  return s
}

describe('Euler', () => {
  it("uses fractional linspace timesteps for SD's config (float32, as fed to the U-Net)", () => {
    const s = euler()
    s.setTimesteps(50)
    expect(s.timesteps).toHaveLength(50)
    expect(s.timesteps[0]).toBe(999)
    // linspace(0, 999, 50)[48] = 48·999/49 = 978.612244…, stored as float32
    expect(s.timesteps[1]).toBe(Math.fround((48 * 999) / 49))
    expect(s.timesteps[1]).toBeCloseTo(978.6122, 4)
    expect(s.timesteps[49]).toBe(0)
  })

  it('has σ endpoints 14.6146 and 0.0292, a final 0, and init_noise_sigma = max σ', () => {
    const s = euler()
    s.setTimesteps(50)
    // σ(999) = √((1 − ᾱ_999)/ᾱ_999) with ᾱ_999 ≈ 0.0046601; σ(0) = √(0.00085/0.99915)
    expect(s.sigmas).toHaveLength(51)
    expect(s.sigmas[0]).toBeCloseTo(14.6146, 4)
    expect(s.sigmas[49]).toBeCloseTo(Math.sqrt(0.00085 / 0.99915), 10)
    expect(s.sigmas[49]).toBeCloseTo(0.0291672, 6)
    expect(s.sigmas[50]).toBe(0)
    // diffusers: linspace/trailing spacing -> max σ; leading -> √(max σ² + 1)
    expect(s.initNoiseSigma).toBeCloseTo(14.6146, 4)
    expect(createScheduler('euler', SD_CONFIG).initNoiseSigma).toBeCloseTo(14.6146, 4)
  })

  it('interpolates σ linearly between training timesteps', () => {
    const s = euler()
    s.setTimesteps(50)
    const t = s.timesteps[1] ?? NaN // 978.612…
    const lo = referenceSigma(978)
    const hi = referenceSigma(979)
    expect(s.sigmas[1]).toBeCloseTo(lo + (hi - lo) * (t - 978), 12)
  })

  it('uses √(σ² + 1) for init_noise_sigma under leading spacing', () => {
    const s = euler({ ...SD_CONFIG, timestep_spacing: 'leading' })
    s.setTimesteps(50)
    expect(s.timesteps[0]).toBe(981)
    const sigma = referenceSigma(981)
    expect(s.initNoiseSigma).toBeCloseTo(Math.sqrt(sigma * sigma + 1), 10)
  })

  it('scales the model input by 1/√(σ² + 1)', () => {
    const s = euler()
    s.setTimesteps(50)
    const x = pattern(N, 0)
    const sigma = s.sigmas[3] ?? NaN
    const t = s.timesteps[3] ?? NaN
    const expected = Float32Array.from(x, (v) => v / Math.sqrt(sigma * sigma + 1))
    expect(maxAbsDiff(s.scaleModelInput(x, t), expected)).toBeLessThan(1e-7)
    expect(() => s.scaleModelInput(x, 12.5)).toThrow(/not in the current schedule/)
  })

  it('takes the Euler step x + (x − x0)/σ · (σ_next − σ), epsilon and v', () => {
    for (const prediction of ['epsilon', 'v_prediction'] as const) {
      const s = euler({ ...SD_CONFIG, prediction_type: prediction })
      s.setTimesteps(30)
      const x = pattern(N, 1)
      const out = pattern(N, 2)
      const sigma = s.sigmas[5] ?? NaN
      const next = s.sigmas[6] ?? NaN
      const expected = Float32Array.from(x, (xi, i) => {
        const m = out[i] ?? 0
        const x0 =
          prediction === 'epsilon'
            ? xi - sigma * m
            : m * (-sigma / Math.sqrt(sigma * sigma + 1)) + xi / (sigma * sigma + 1)
        return xi + ((xi - x0) / sigma) * (next - sigma)
      })
      expect(maxAbsDiff(s.step(out, s.timesteps[5] ?? NaN, x), expected), prediction).toBeLessThan(
        1e-5,
      )
    }
  })

  it('adds noise in σ space: x0 + σ(t)·ε', () => {
    const s = euler()
    const x0 = pattern(N, 3)
    const eps = pattern(N, 4)
    const sigma = referenceSigma(400.25)
    const expected = Float32Array.from(x0, (v, i) => v + sigma * (eps[i] ?? 0))
    expect(maxAbsDiff(s.addNoise(x0, eps, 400.25), expected)).toBeLessThan(1e-5)
  })
})

describe('Euler ancestral', () => {
  it('splits each step into σ_down and fresh noise σ_up', () => {
    const s = createScheduler('euler-a', SD_CONFIG)
    if (!(s instanceof EulerAncestralScheduler)) throw new Error('expected EulerAncestralScheduler')
    s.setTimesteps(20)
    const x = pattern(N, 5)
    const eps = pattern(N, 6)
    const z = pattern(N, 7)
    const sigma = s.sigmas[4] ?? NaN
    const next = s.sigmas[5] ?? NaN
    const up = Math.sqrt((next ** 2 * (sigma ** 2 - next ** 2)) / sigma ** 2)
    const down = Math.sqrt(next ** 2 - up ** 2)
    const expected = Float32Array.from(x, (xi, i) => {
      const x0 = xi - sigma * (eps[i] ?? 0)
      return xi + ((xi - x0) / sigma) * (down - sigma) + up * (z[i] ?? 0)
    })
    const out = s.step(
      eps,
      s.timesteps[4] ?? NaN,
      x,
      fixedNoise(() => z),
    )
    expect(maxAbsDiff(out, expected)).toBeLessThan(1e-5)
    expect(() => s.step(eps, s.timesteps[4] ?? NaN, x)).toThrow(/needs a noise source/)
  })

  it('has the same timesteps, σ and init_noise_sigma as Euler', () => {
    const a = createScheduler('euler-a', SD_CONFIG)
    const e = createScheduler('euler', SD_CONFIG)
    a.setTimesteps(25)
    e.setTimesteps(25)
    expect(a.timesteps).toEqual(e.timesteps)
    expect(a.initNoiseSigma).toBe(e.initNoiseSigma)
  })
})

describe('Euler family with a model that predicts the true noise', () => {
  function sample(s: Scheduler, x0: Float32Array, prediction: 'epsilon' | 'v_prediction') {
    const model = perfectModel(x0, alphaFromSigma, prediction)
    const noise = createNoiseSource(5)
    // x_T = x0 + σ_max·ε, i.e. the pipeline's N(0,1)·init_noise_sigma around x0
    let x = s.addNoise(x0, noise.normal(x0.length), s.timesteps[0] ?? 0)
    for (const t of s.timesteps) x = s.step(model(s.scaleModelInput(x, t), t), t, x, noise)
    return x
  }

  it('recovers x0 (Euler and Euler ancestral, epsilon and v-prediction)', () => {
    const x0 = pattern(N, 8)
    for (const name of ['euler', 'euler-a'] as const) {
      for (const prediction of ['epsilon', 'v_prediction'] as const) {
        const s = createScheduler(name, { ...SD_CONFIG, prediction_type: prediction })
        s.setTimesteps(30)
        expect(maxAbsDiff(sample(s, x0, prediction), x0), `${name} ${prediction}`).toBeLessThan(
          1e-4,
        )
      }
    }
  })
})
