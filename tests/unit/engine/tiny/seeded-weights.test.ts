import { describe, expect, it } from 'vitest'
import { SeededWeights, mulberry32 } from '../../../../src/main/engine/tiny'

describe('SeededWeights', () => {
  it('draws uniforms in [0, 1) reproducibly', () => {
    const a = mulberry32(123)
    const b = mulberry32(123)
    const values = Array.from({ length: 1000 }, () => a())
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()))
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true)
    expect(mulberry32(124)()).not.toBe(values[0])
  })

  it('draws N(mean, std²) samples', () => {
    const x = new SeededWeights(5).normal(200_000, 2, 3)
    let sum = 0
    let sq = 0
    for (const v of x) {
      sum += v
      sq += v * v
    }
    const mean = sum / x.length
    const std = Math.sqrt(sq / x.length - mean * mean)
    expect(mean).toBeCloseTo(3, 1)
    expect(std).toBeCloseTo(2, 1)
    const within1 = x.filter((v) => Math.abs(v - 3) < 2).length / x.length
    expect(within1).toBeCloseTo(0.6827, 2)
  })

  it('gives the same stream through normal() and gaussian(), odd counts included', () => {
    const a = new SeededWeights(9)
    const b = new SeededWeights(9)
    const bulk = [...a.normal(5, 1), ...a.normal(4, 1)]
    const single = Array.from({ length: 9 }, () => Math.fround(b.gaussian()))
    expect(bulk).toEqual(single)
  })

  it('scales by fan-in', () => {
    const x = new SeededWeights(1).fanIn(100_000, 400)
    const std = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length)
    expect(std).toBeCloseTo(0.05, 3)
  })
})
