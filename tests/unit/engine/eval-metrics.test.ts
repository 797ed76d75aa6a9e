import { describe, expect, it } from 'vitest'
import { experimentMetricsSchema } from '../../../src/shared/contract'
import { computeMetrics, overallScore } from '../../../src/main/engine/eval/metrics'

describe('H_o', () => {
  it('is the harmonic mean of 1 − Acc_e, Acc_s and 1 − Acc_g (hand-computed)', () => {
    // 3 / (1/0.9 + 1/0.9 + 1/0.8) = 3 / 3.472222… = 0.864
    expect(overallScore(0.1, 0.9, 0.2)).toBeCloseTo(0.864, 12)
    // 3 / (1/0.5 + 1/0.5 + 1/0.5) = 0.5
    expect(overallScore(0.5, 0.5, 0.5)).toBe(0.5)
    // 3 / (1/0.75 + 1/0.6 + 1/0.4) = 3 / 5.5 = 0.545454…
    expect(overallScore(0.25, 0.6, 0.6)).toBeCloseTo(6 / 11, 12)
  })

  it('is 1 for a perfect erasure and 0 when any rate fails completely', () => {
    expect(overallScore(0, 1, 0)).toBe(1)
    expect(overallScore(1, 1, 0)).toBe(0) // nothing erased
    expect(overallScore(0, 0, 0)).toBe(0) // everything else destroyed
    expect(overallScore(0, 1, 1)).toBe(0) // full residue through synonyms and associations
    expect(overallScore(1, 0, 1)).toBe(0)
  })

  it('refuses rates outside [0, 1]', () => {
    expect(() => overallScore(-0.1, 1, 0)).toThrow(RangeError)
    expect(() => overallScore(0, 1.5, 0)).toThrow(RangeError)
    expect(() => overallScore(0, Number.NaN, 0)).toThrow(RangeError)
  })
})

describe('computeMetrics', () => {
  it('turns hits and counts into the stored record', () => {
    const metrics = computeMetrics({
      evaluator: 'shapeworld-pixels',
      hits: { erasure: 2, preserved: 45, generalization: 3 },
      counts: { erasure: 10, preserved: 50, generalization: 12 },
      seeds: [1, 2],
      evaluatedAt: 1_700_000_000_000,
    })
    expect(metrics.accE).toBe(0.2)
    expect(metrics.accS).toBe(0.9)
    expect(metrics.accG).toBe(0.25)
    // 3 / (1/0.8 + 1/0.9 + 1/0.75) = 3 / 3.694444…
    expect(metrics.ho).toBeCloseTo(3 / (1.25 + 10 / 9 + 4 / 3), 12)
    expect(metrics.ho).toBeCloseTo(0.81203, 5)
    expect(metrics).toEqual(experimentMetricsSchema.parse(metrics))
    expect(metrics.counts).toEqual({ erasure: 10, preserved: 50, generalization: 12 })
    expect(metrics.seeds).toEqual([1, 2])
    expect(metrics.evaluator).toBe('shapeworld-pixels')
  })

  it('handles all-or-nothing groups', () => {
    const base = {
      evaluator: 'x',
      seeds: [1],
      evaluatedAt: 0,
      counts: { erasure: 4, preserved: 4, generalization: 4 },
    }
    expect(
      computeMetrics({ ...base, hits: { erasure: 0, preserved: 4, generalization: 0 } }).ho,
    ).toBe(1)
    expect(
      computeMetrics({ ...base, hits: { erasure: 4, preserved: 4, generalization: 4 } }).ho,
    ).toBe(0)
  })

  it('refuses empty groups and impossible hit counts', () => {
    const base = { evaluator: 'x', seeds: [1], evaluatedAt: 0 }
    expect(() =>
      computeMetrics({
        ...base,
        hits: { erasure: 0, preserved: 0, generalization: 0 },
        counts: { erasure: 3, preserved: 3, generalization: 0 },
      }),
    ).toThrow(/generalization group needs at least one image/)
    expect(() =>
      computeMetrics({
        ...base,
        hits: { erasure: 4, preserved: 0, generalization: 0 },
        counts: { erasure: 3, preserved: 3, generalization: 3 },
      }),
    ).toThrow(/4 hits out of 3/)
  })
})
