import { describe, expect, it } from 'vitest'
import { cosineWithOffset, sampleBeyond, sampleNeighbors } from '../../../../src/main/engine/erasure/sampling'
import type { SamplerParams } from '../../../../src/main/engine/erasure/sampling'
import { createNoiseSource } from '../../../../src/main/engine/sd/noise'

const d = 32
const e = createNoiseSource(99).normal(d).map((x) => x * 2 + 0.5)
const normE = Math.sqrt(e.reduce((s, x) => s + x * x, 0))
const params: SamplerParams = { d1: 0.5, d1Anchor: 0.1, d2: 1.0, s1: 0.99, s2: 0.8, m: 40, n: 40, distanceUnit: 'relative', maxAttempts: 100_000 }

describe('neighbor and beyond sampling', () => {
  it('accepted neighbors obey every bound', () => {
    const s = sampleNeighbors(e, params, createNoiseSource(1))
    expect(s).toHaveLength(40)
    for (const x of s) {
      const len = Math.hypot(...x.eta)
      expect(len).toBeCloseTo(x.distance, 4)
      expect(x.distance).toBeLessThan(params.d1 * normE)
      expect(x.anchorDistance).toBeLessThan(params.d1Anchor * normE)
      expect(x.cosine).toBeLessThanOrEqual(params.s1)
      expect(x.cosine).toBeGreaterThanOrEqual(params.s2)
      expect(cosineWithOffset(e, x.eta)).toBeCloseTo(x.cosine, 10)
      // η' points the same way as η.
      const dot = x.eta.reduce((acc, v, i) => acc + v * x.etaAnchor[i]!, 0)
      expect(dot / (x.distance * x.anchorDistance)).toBeCloseTo(1, 4)
    }
  })

  it('accepted beyond points lie in [D1, D2) with cos < S2', () => {
    const s = sampleBeyond(e, params, createNoiseSource(2))
    expect(s).toHaveLength(40)
    for (const x of s) {
      expect(x.distance).toBeGreaterThanOrEqual(params.d1 * normE * (1 - 1e-6))
      expect(x.distance).toBeLessThan(params.d2 * normE)
      expect(x.cosine).toBeLessThan(params.s2)
    }
  })

  it('absolute units use the raw radius', () => {
    const s = sampleNeighbors(e, { ...params, distanceUnit: 'absolute', d1: 1, s1: 0.9999, s2: 0 }, createNoiseSource(3))
    for (const x of s) expect(x.distance).toBeLessThan(1)
  })

  it('the same seed reproduces the same samples bit for bit; another seed does not', () => {
    const a = sampleNeighbors(e, params, createNoiseSource(5))
    const b = sampleNeighbors(e, params, createNoiseSource(5))
    const c = sampleNeighbors(e, params, createNoiseSource(6))
    expect(a.map((x) => Array.from(x.eta))).toEqual(b.map((x) => Array.from(x.eta)))
    expect(a[0]!.eta).not.toEqual(c[0]!.eta)
  })

  it('names the bound that rejects everything instead of hanging', () => {
    expect(() => sampleNeighbors(e, { ...params, s1: 0.5, s2: 0.4, maxAttempts: 2000 }, createNoiseSource(1))).toThrow(
      /S1 = 0.5 rejected 100% .*lower S1 or raise D1/,
    )
    expect(() => sampleNeighbors(e, { ...params, d1: 5, d2: 6, s1: 1, s2: 0.99999, maxAttempts: 2000 }, createNoiseSource(1))).toThrow(/S2 = 0.99999/)
    expect(() => sampleBeyond(e, { ...params, d1: 0.01, d2: 0.02, maxAttempts: 2000 }, createNoiseSource(1))).toThrow(
      /beyond points .*raise D2 or S2/,
    )
  })
})
