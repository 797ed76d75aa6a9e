import { describe, expect, it } from 'vitest'
import { lowRank } from '../../../src/main/engine/linalg/svd'
import { createNoiseSource } from '../../../src/main/engine/sd/noise'

/** A random m×n matrix of exact rank r (product of random factors), plus optional noise. */
function rankR(m: number, n: number, r: number, seed: number, noise = 0): Float64Array {
  const rng = createNoiseSource(seed)
  const a = rng.normal(m * r)
  const b = rng.normal(r * n)
  const e = rng.normal(m * n)
  const out = new Float64Array(m * n)
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let k = 0; k < r; k++) s += a[i * r + k]! * b[k * n + j]!
      out[i * n + j] = s + noise * e[i * n + j]!
    }
  return out
}

describe('randomized low-rank factorization', () => {
  it('is exact when the rank fits', () => {
    const d = rankR(60, 40, 3, 1)
    const f = lowRank(d, 60, 40, 4)
    expect(f.relError).toBeLessThan(1e-10)
    expect(f.rank).toBe(4)
    expect(f.singular[3]!).toBeLessThan(1e-8 * f.singular[0]!)
  })

  it('truncation error equals the optimal one (the tail singular values)', () => {
    const d = rankR(50, 30, 30, 2)
    const k = 5
    const f = lowRank(d, 50, 30, k, { powerIterations: 6 })
    const full = lowRank(d, 50, 30, 30)
    expect(full.relError).toBeLessThan(1e-9)
    const s = Array.from(full.singular)
    const total = Math.sqrt(s.reduce((a, x) => a + x * x, 0))
    const tail = Math.sqrt(s.slice(k).reduce((a, x) => a + x * x, 0))
    expect(f.relError).toBeCloseTo(tail / total, 4)
  })

  it('down has orthonormal rows; up·down reproduces the matrix it reports', () => {
    const d = rankR(20, 12, 2, 3, 0.01)
    const f = lowRank(d, 20, 12, 2)
    for (let a = 0; a < 2; a++)
      for (let b = 0; b < 2; b++) {
        let dot = 0
        for (let j = 0; j < 12; j++) dot += f.down[a * 12 + j]! * f.down[b * 12 + j]!
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 8)
      }
    expect(f.relError).toBeGreaterThan(0)
    expect(f.relError).toBeLessThan(0.05)
  })
})
