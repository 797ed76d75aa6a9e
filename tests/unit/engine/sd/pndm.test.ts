import { describe, expect, it } from 'vitest'
import { createScheduler } from '../../../../src/main/engine/sd/schedulers'
import { SD_ALPHAS, SD_CONFIG, maxAbsDiff, pattern, perfectModel } from './scheduler-reference'

const N = 32
const alpha = (t: number): number => (t >= 0 ? (SD_ALPHAS[t] ?? NaN) : 0.99915)

/** PNDM's transfer (its eq. 9) from t to prev for a given ε, written out for the test. */
function transfer(x: Float32Array, eps: ArrayLike<number>, t: number, prev: number): Float32Array {
  const a = alpha(t)
  const ap = alpha(prev)
  const denom = a * Math.sqrt(1 - ap) + Math.sqrt(a * (1 - a) * ap)
  return Float32Array.from(
    x,
    (xi, i) => Math.sqrt(ap / a) * xi - ((ap - a) * (eps[i] ?? 0)) / denom,
  )
}

const combine = (weights: number[], es: Float32Array[]): Float32Array =>
  Float32Array.from(es[0] ?? [], (_, i) =>
    weights.reduce((acc, w, k) => acc + w * (es[k]?.[i] ?? 0), 0),
  )

describe('PNDM (PLMS, skip_prk_steps as SD ships)', () => {
  it("lists SD's 50-step timesteps with the second one doubled: 981, 961, 961, 941, …, 1", () => {
    const s = createScheduler('pndm', SD_CONFIG)
    s.setTimesteps(50)
    // ascending ts = 1, 21, …, 981; plms = reverse(ts[:-1] + [ts[-2]] + [ts[-1]])
    const expected = [981, 961, ...Array.from({ length: 49 }, (_, i) => 961 - 20 * i)]
    expect(s.timesteps).toEqual(expected)
    expect(s.timesteps).toHaveLength(51)
    expect(s.initNoiseSigma).toBe(1)
  })

  it('warms up with a Heun-like doubled step, then Adams–Bashforth orders 2, 3, 4', () => {
    const s = createScheduler('pndm', SD_CONFIG)
    s.setTimesteps(50)
    const x981 = pattern(N, 0)
    const e = [0, 1, 2, 3, 4].map((k) => pattern(N, 10 + k))
    const [e0, e1, e2, e3, e4] = e as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ]

    // call 1 at 981: plain transfer 981 -> 961 with e0
    const x1 = s.step(e0, 981, x981)
    expect(maxAbsDiff(x1, transfer(x981, e0, 981, 961))).toBeLessThan(1e-5)
    // call 2 at 961 (the duplicate): redo 981 -> 961 from x981 with (e0 + e1) / 2
    const x2 = s.step(e1, 961, x1)
    expect(maxAbsDiff(x2, transfer(x981, combine([0.5, 0.5], [e0, e1]), 981, 961))).toBeLessThan(
      1e-5,
    )
    // call 3 at 961: 961 -> 941 with (3 e2 − e0) / 2 (e1 is not kept in the history)
    const x3 = s.step(e2, 961, x2)
    expect(maxAbsDiff(x3, transfer(x2, combine([1.5, -0.5], [e2, e0]), 961, 941))).toBeLessThan(
      1e-5,
    )
    // call 4 at 941: (23 e3 − 16 e2 + 5 e0) / 12
    const x4 = s.step(e3, 941, x3)
    const ab3 = combine([23 / 12, -16 / 12, 5 / 12], [e3, e2, e0])
    expect(maxAbsDiff(x4, transfer(x3, ab3, 941, 921))).toBeLessThan(1e-5)
    // call 5 at 921: (55 e4 − 59 e3 + 37 e2 − 9 e0) / 24
    const x5 = s.step(e4, 921, x4)
    const ab4 = combine([55 / 24, -59 / 24, 37 / 24, -9 / 24], [e4, e3, e2, e0])
    expect(maxAbsDiff(x5, transfer(x4, ab4, 921, 901))).toBeLessThan(1e-5)
  })

  it('ends on final_alpha_cumprod = ᾱ_0 (set_alpha_to_one false)', () => {
    const x0 = pattern(N, 20)
    const eps = pattern(N, 21)
    const s = createScheduler('pndm', SD_CONFIG)
    s.setTimesteps(20)
    const model = perfectModel(x0, alpha)
    let x = s.addNoise(x0, eps, s.timesteps[0] ?? 0)
    for (const t of s.timesteps) x = s.step(model(x, t), t, x)
    const expected = Float32Array.from(
      x0,
      (v, i) => Math.sqrt(0.99915) * v + Math.sqrt(0.00085) * (eps[i] ?? 0),
    )
    expect(maxAbsDiff(x, expected)).toBeLessThan(1e-4)
  })

  it('recovers x0 with a perfect model, epsilon and v-prediction', () => {
    // With ε-prediction the true ε is the same at every step, so every multistep combination
    // of it is exact. diffusers combines raw v outputs and converts the blend to ε afterwards;
    // v = √ᾱ ε − √(1−ᾱ) x0 changes with t, so the extrapolation is only approximately right.
    const x0 = pattern(N, 22)
    const eps = pattern(N, 23)
    const tolerance = { epsilon: 1e-4, v_prediction: 5e-3 }
    for (const prediction of ['epsilon', 'v_prediction'] as const) {
      const s = createScheduler('pndm', {
        ...SD_CONFIG,
        set_alpha_to_one: true,
        prediction_type: prediction,
      })
      s.setTimesteps(30)
      const model = perfectModel(x0, alpha, prediction)
      let x = s.addNoise(x0, eps, s.timesteps[0] ?? 0)
      for (const t of s.timesteps) x = s.step(model(x, t), t, x)
      expect(maxAbsDiff(x, x0), prediction).toBeLessThan(tolerance[prediction])
    }
  })

  it('refuses steps out of order and restarts on setTimesteps', () => {
    const s = createScheduler('pndm', SD_CONFIG)
    s.setTimesteps(10)
    const x = pattern(N, 0)
    expect(() => s.step(x, 801, x)).toThrow(/call 1 should be at timestep 901, got 801/)
    s.step(x, 901, x)
    s.setTimesteps(10)
    expect(() => s.step(x, 901, x)).not.toThrow()
  })
})

describe('PNDM with Runge–Kutta warm-up (skip_prk_steps false)', () => {
  it("builds diffusers' PRK and PLMS timestep lists", () => {
    // 10 steps, leading, offset 0: ts = 0, 100, …, 900
    // prk: ts[-4:] = 600..900 each with +0 and +50 -> 600 650 700 750 800 850 900 950,
    //      drop last, repeat each twice, drop first and last, reverse
    // plms: ts[:-3] reversed = 600, 500, …, 0
    const s = createScheduler('pndm', { ...SD_CONFIG, skip_prk_steps: false, steps_offset: 0 })
    s.setTimesteps(10)
    expect(s.timesteps).toEqual([
      900, 850, 850, 800, 800, 750, 750, 700, 700, 650, 650, 600, 600, 500, 400, 300, 200, 100, 0,
    ])
  })

  it('still recovers x0 with a perfect model', () => {
    const x0 = pattern(N, 30)
    const eps = pattern(N, 31)
    const s = createScheduler('pndm', {
      ...SD_CONFIG,
      skip_prk_steps: false,
      set_alpha_to_one: true,
    })
    s.setTimesteps(10)
    const model = perfectModel(x0, alpha)
    let x = s.addNoise(x0, eps, s.timesteps[0] ?? 0)
    for (const t of s.timesteps) x = s.step(model(x, t), t, x)
    expect(maxAbsDiff(x, x0)).toBeLessThan(1e-4)
  })

  it('averages the four Runge–Kutta evaluations 1/6, 1/3, 1/3, 1/6 from the saved sample', () => {
    const s = createScheduler('pndm', { ...SD_CONFIG, skip_prk_steps: false, steps_offset: 0 })
    s.setTimesteps(10)
    const x = pattern(N, 40)
    const e = [0, 1, 2, 3].map((k) => pattern(N, 41 + k))
    let cur = x
    // calls at 900 (->850), 850 (->850), 850 (->800), 800 (->800): prev per diffusers' diff_to_prev
    const ts = s.timesteps.slice(0, 4)
    ts.forEach((t, k) => {
      cur = s.step(e[k] ?? x, t, cur)
    })
    const rk = combine([1 / 6, 1 / 3, 1 / 3, 1 / 6], e)
    expect(maxAbsDiff(cur, transfer(x, rk, 900, 800))).toBeLessThan(1e-5)
  })
})
