import { afterAll, describe, expect, it } from 'vitest'
import { choleskyInverse } from '../../../src/main/engine/linalg/blocked'
import { cholesky, choleskySolve, invertLower } from '../../../src/main/engine/linalg/cholesky'
import { OrtMatMul } from '../../../src/main/engine/linalg/ort-matmul'

function spd(n: number, seed: number): Float64Array {
  let s = seed
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32 - 0.5
  }
  const m = Float64Array.from({ length: n * n }, rnd)
  const a = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let v = i === j ? 0.5 : 0
      for (let k = 0; k < n; k++) v += m[i * n + k]! * m[j * n + k]!
      a[i * n + j] = v
    }
  return a
}

describe('float64 Cholesky', () => {
  const mm = new OrtMatMul(1)
  afterAll(() => mm.dispose())

  it('L·Lᵀ reproduces A and the solve inverts it', () => {
    const n = 40
    const a = spd(n, 3)
    const l = cholesky(a, n)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let v = 0
        for (let k = 0; k < n; k++) v += l[i * n + k]! * l[j * n + k]!
        expect(v).toBeCloseTo(a[i * n + j]!, 10)
      }
    const b = Float64Array.from({ length: n }, (_, i) => i - 3)
    const x = choleskySolve(l, n, b)
    for (let i = 0; i < n; i++) {
      let v = 0
      for (let k = 0; k < n; k++) v += a[i * n + k]! * x[k]!
      expect(v).toBeCloseTo(b[i]!, 8)
    }
  })

  it('refuses a matrix that is not positive definite, naming the fix', () => {
    expect(() => cholesky(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/not positive definite.*increase the ridge/)
  })

  it('the blocked ORT version equals the plain one (uneven last block)', async () => {
    const n = 150
    const a = spd(n, 5)
    const plain = invertLower(cholesky(a, n), n)
    const blocked = await choleskyInverse(a, n, mm, 32)
    let maxErr = 0
    let maxVal = 0
    for (let i = 0; i < n * n; i++) {
      maxErr = Math.max(maxErr, Math.abs(plain[i]! - blocked[i]!))
      maxVal = Math.max(maxVal, Math.abs(plain[i]!))
    }
    expect(maxErr / maxVal).toBeLessThan(1e-10)
  })
})
