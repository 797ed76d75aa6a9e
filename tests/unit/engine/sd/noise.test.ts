import { describe, expect, it } from 'vitest'
import { MAX_SEED, createNoiseSource, gaussianLatents } from '../../../../src/main/engine/sd/noise'

/**
 * The documented algorithm re-implemented from the papers with 64-bit BigInt arithmetic
 * (SplitMix64, then xoroshiro128+ 24/16/37), sharing nothing with src/ or pure-rand.
 */
function referenceNormals(seed: number, n: number): number[] {
  const M = (1n << 64n) - 1n
  let x = BigInt(seed)
  const splitmix = (): bigint => {
    x = (x + 0x9e3779b97f4a7c15n) & M
    let z = x
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M
    return z ^ (z >> 31n)
  }
  let s0 = splitmix()
  let s1 = splitmix()
  const rotl = (v: bigint, k: bigint): bigint => ((v << k) | (v >> (64n - k))) & M
  const next32 = (): number => {
    const result = (s0 + s1) & M
    s1 ^= s0
    s0 = rotl(s0, 24n) ^ s1 ^ ((s1 << 16n) & M)
    s1 = rotl(s1, 37n)
    return Number(result & 0xffffffffn)
  }
  const uniform = (): number => {
    const a = Math.floor(next32() / 2 ** 6)
    const b = Math.floor(next32() / 2 ** 5)
    return (a * 2 ** 27 + b) / 2 ** 53
  }
  const out: number[] = []
  while (out.length < n) {
    const u1 = uniform()
    const u2 = uniform()
    const r = Math.sqrt(-2 * Math.log(1 - u1))
    out.push(
      Math.fround(r * Math.cos(2 * Math.PI * u2)),
      Math.fround(r * Math.sin(2 * Math.PI * u2)),
    )
  }
  return out.slice(0, n)
}

describe('seeded noise', () => {
  it('pins golden values (a change here changes what every saved seed means)', () => {
    const s = createNoiseSource(42)
    expect(Array.from(s.normal(6))).toEqual([
      -2.000105857849121, 0.5559712648391724, -0.621440052986145, 0.7447314858436584,
      -1.2173287868499756, -1.1225498914718628,
    ])
    expect(s.uniform()).toBe(0.4756888988841169)
    expect(Array.from(gaussianLatents(0, [1, 4, 2, 2]).subarray(0, 4))).toEqual([
      0.37650012969970703, -0.3119276762008667, -0.7261936068534851, -0.6716172099113464,
    ])
    expect(Array.from(createNoiseSource(MAX_SEED).normal(3))).toEqual([
      -1.3277899026870728, -1.0545320510864258, -0.1510707139968872,
    ])
  })

  it('follows the algorithm documented in noise.ts', () => {
    // SplitMix64's published first output for seed 0 is 0xE220A8397B1DCDAF; the reference
    // above starts from the same constants.
    for (const seed of [0, 1, 42, 123456789, MAX_SEED]) {
      expect(Array.from(createNoiseSource(seed).normal(1000)), `seed ${seed}`).toEqual(
        referenceNormals(seed, 1000),
      )
    }
  })

  it('gives identical arrays for the same seed and different ones otherwise', () => {
    const a = gaussianLatents(1234, [1, 4, 64, 64])
    const b = gaussianLatents(1234, [1, 4, 64, 64])
    const c = gaussianLatents(1235, [1, 4, 64, 64])
    expect(a).toHaveLength(16384)
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true)
    let same = 0
    for (let i = 0; i < a.length; i++) if (a[i] === c[i]) same++
    expect(same).toBeLessThan(5)
  })

  it('has mean ≈ 0 and std ≈ 1 over 1e5 samples, for small and large seeds', () => {
    for (const seed of [0, 1, 2, 7, 1_000_003, MAX_SEED]) {
      const x = createNoiseSource(seed).normal(100_000)
      let sum = 0
      let sq = 0
      for (const v of x) {
        sum += v
        sq += v * v
      }
      const mean = sum / x.length
      const std = Math.sqrt(sq / x.length - mean * mean)
      // standard errors: mean 0.0032, std 0.0022; allow 5 of them
      expect(Math.abs(mean), `seed ${seed}`).toBeLessThan(0.016)
      expect(Math.abs(std - 1), `seed ${seed}`).toBeLessThan(0.011)
    }
  })

  it('does not straddle pairs across calls (odd lengths drop the spare sine)', () => {
    const whole = createNoiseSource(9).normal(4)
    const s = createNoiseSource(9)
    const first = s.normal(1)
    const second = s.normal(2)
    expect(first[0]).toBe(whole[0])
    expect(second[0]).toBe(whole[2])
    expect(second[1]).toBe(whole[3])
  })

  it('draws uniforms in [0, 1)', () => {
    const s = createNoiseSource(3)
    let min = 1
    let max = 0
    for (let i = 0; i < 10_000; i++) {
      const u = s.uniform()
      min = Math.min(min, u)
      max = Math.max(max, u)
    }
    expect(min).toBeGreaterThanOrEqual(0)
    expect(max).toBeLessThan(1)
    expect(max - min).toBeGreaterThan(0.99)
  })

  it('rejects seeds that are not whole numbers in 0..2^32-1', () => {
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN, Infinity]) {
      expect(() => createNoiseSource(bad), String(bad)).toThrow(/from 0 to 4294967295/)
    }
    expect(() => gaussianLatents(1, [1, 0, 8])).toThrow(/positive whole numbers/)
  })
})
