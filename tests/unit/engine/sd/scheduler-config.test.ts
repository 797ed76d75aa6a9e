import { describe, expect, it } from 'vitest'
import {
  computeAlphasCumprod,
  computeBetas,
} from '../../../../src/main/engine/sd/schedulers/common'
import {
  SchedulerConfigError,
  createScheduler,
  parseSchedulerConfig,
  parseSchedulerConfigJson,
  schedulerDefaults,
} from '../../../../src/main/engine/sd/schedulers'
import { SD_ALPHAS, SD_CONFIG } from './scheduler-reference'

describe('alphas_cumprod', () => {
  const sd = parseSchedulerConfig(SD_CONFIG, 'ddim')
  const alphas = computeAlphasCumprod(sd)

  it('matches the scaled_linear formula computed by a separate loop', () => {
    for (const t of [0, 1, 2, 250, 500, 981, 999]) {
      expect(alphas[t], `t=${t}`).toBeCloseTo(SD_ALPHAS[t] ?? NaN, 14)
    }
  })

  it('has the published SD endpoints', () => {
    // ᾱ_0 = 1 − β_0 = 1 − 0.00085; ᾱ_999 ≈ 0.0046601 (diffusers prints 0.0047 in float32)
    expect(alphas[0]).toBeCloseTo(0.99915, 15)
    expect(alphas[999]).toBeCloseTo(0.0046601, 7)
  })

  it('computes linear betas as numpy.linspace(beta_start, beta_end, T)', () => {
    const betas = computeBetas(schedulerDefaults('ddim'))
    expect(betas[0]).toBe(0.0001)
    expect(betas[999]).toBe(0.02)
    expect(betas[1]).toBeCloseTo(0.0001 + 0.0199 / 999, 16)
  })

  it('computes squaredcos_cap_v2 from the cosine ᾱ(t) and caps β at 0.999', () => {
    const betas = computeBetas({ ...schedulerDefaults('ddim'), betaSchedule: 'squaredcos_cap_v2' })
    const f = (t: number): number => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2
    expect(betas[0]).toBeCloseTo(1 - f(1 / 1000) / f(0), 15)
    expect(betas[500]).toBeCloseTo(1 - f(501 / 1000) / f(500 / 1000), 15)
    expect(betas[999]).toBe(0.999) // f(1) ≈ 0 so 1 − f(1)/f(0.999) would be ≈ 1
  })

  it('uses trained_betas when given', () => {
    const trained = Array.from({ length: 10 }, (_, i) => 0.01 * (i + 1))
    const config = parseSchedulerConfig({ num_train_timesteps: 10, trained_betas: trained }, 'ddim')
    expect(Array.from(computeBetas(config))).toEqual(trained)
  })
})

describe('parseSchedulerConfig', () => {
  it("reads SD's config with each scheduler's own defaults for missing keys", () => {
    const ddim = parseSchedulerConfig(SD_CONFIG, 'ddim')
    expect(ddim).toMatchObject({
      betaSchedule: 'scaled_linear',
      betaStart: 0.00085,
      betaEnd: 0.012,
      stepsOffset: 1,
      setAlphaToOne: false,
      clipSample: false,
      predictionType: 'epsilon',
      timestepSpacing: 'leading',
    })
    expect(parseSchedulerConfig(SD_CONFIG, 'euler').timestepSpacing).toBe('linspace')
    expect(parseSchedulerConfig(SD_CONFIG, 'euler-a').timestepSpacing).toBe('linspace')
    expect(parseSchedulerConfig(SD_CONFIG, 'pndm').skipPrkSteps).toBe(true)
  })

  it("has diffusers' constructor defaults", () => {
    expect(parseSchedulerConfig({}, 'ddim')).toMatchObject({
      numTrainTimesteps: 1000,
      betaStart: 0.0001,
      betaEnd: 0.02,
      betaSchedule: 'linear',
      setAlphaToOne: true,
      clipSample: true,
      clipSampleRange: 1,
      stepsOffset: 0,
      timestepSpacing: 'leading',
    })
    expect(parseSchedulerConfig({}, 'pndm')).toMatchObject({
      setAlphaToOne: false,
      skipPrkSteps: false,
      timestepSpacing: 'leading',
    })
    expect(parseSchedulerConfig({}, 'euler').timestepSpacing).toBe('linspace')
  })

  it('ignores unknown keys and accepts null for "use the default"', () => {
    const c = parseSchedulerConfig(
      { whatever: [1, 2], sample_max_value: 1, steps_offset: null, variance_type: 'fixed_small' },
      'ddim',
    )
    expect(c.stepsOffset).toBe(0)
  })

  it('rejects wrong types, naming the key', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ beta_start: '0.001' }, /"beta_start" must be a number between 0 and 1/],
      [{ num_train_timesteps: 10.5 }, /"num_train_timesteps" must be a whole number/],
      [{ steps_offset: -1 }, /"steps_offset" must be a whole number >= 0/],
      [{ set_alpha_to_one: 'no' }, /"set_alpha_to_one" must be true or false/],
      [{ beta_schedule: 'cosine' }, /"beta_schedule" must be one of "linear", "scaled_linear"/],
      [{ prediction_type: 'sample' }, /"prediction_type" must be one of "epsilon", "v_prediction"/],
      [{ timestep_spacing: 'even' }, /"timestep_spacing" must be one of/],
      [{ trained_betas: [0.1, 2] }, /"trained_betas" must be null or a list/],
      [
        { trained_betas: [0.1, 0.2] },
        /"trained_betas" has 2 values but "num_train_timesteps" is 1000/,
      ],
    ]
    for (const [raw, message] of cases) {
      expect(() => parseSchedulerConfig(raw, 'ddim'), JSON.stringify(raw)).toThrow(message)
    }
    expect(() => parseSchedulerConfig([1], 'ddim')).toThrow(SchedulerConfigError)
    expect(() => parseSchedulerConfigJson('{', 'ddim')).toThrow(/not valid JSON/)
  })

  it('refuses options that would change the math we do not implement', () => {
    expect(() => parseSchedulerConfig({ use_karras_sigmas: true }, 'euler')).toThrow(
      /"use_karras_sigmas" to true; only false is supported/,
    )
    expect(() => parseSchedulerConfig({ thresholding: true }, 'ddim')).toThrow(/"thresholding"/)
    // keys meant for another scheduler class are ignored, as diffusers does
    expect(() => parseSchedulerConfig({ use_karras_sigmas: true }, 'ddim')).not.toThrow()
    expect(() => parseSchedulerConfig({ use_karras_sigmas: false }, 'euler')).not.toThrow()
  })

  it('refuses an already parsed config passed where JSON is expected', () => {
    expect(() => createScheduler('ddim', schedulerDefaults('ddim'))).toThrow(/snake_case/)
  })
})

describe('setTimesteps', () => {
  it('rejects step counts outside 1..T', () => {
    const s = createScheduler('ddim', SD_CONFIG)
    expect(() => s.setTimesteps(0)).toThrow(/from 1 to 1000/)
    expect(() => s.setTimesteps(1001)).toThrow(/from 1 to 1000/)
    expect(() => s.setTimesteps(2.5)).toThrow(/from 1 to 1000/)
  })

  it('spaces DDIM timesteps per timestep_spacing (numpy arithmetic, round half to even)', () => {
    const at = (spacing: string, steps: number): readonly number[] => {
      const s = createScheduler('ddim', { ...SD_CONFIG, timestep_spacing: spacing })
      s.setTimesteps(steps)
      return s.timesteps
    }
    // leading: (arange(n) * (1000 // n))[::-1] + steps_offset
    expect(at('leading', 4)).toEqual([751, 501, 251, 1])
    // linspace: linspace(0, 999, 4) = 0, 333, 666, 999 reversed
    expect(at('linspace', 4)).toEqual([999, 666, 333, 0])
    // linspace(0, 999, 3) = 0, 499.5, 999: 499.5 rounds half to even -> 500
    expect(at('linspace', 3)).toEqual([999, 500, 0])
    // trailing: round(arange(1000, 0, -1000/3)) - 1 = 1000, 666.67, 333.33 -> 999, 666, 332
    expect(at('trailing', 3)).toEqual([999, 666, 332])
  })
})
