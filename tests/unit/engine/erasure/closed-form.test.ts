import { afterAll, describe, expect, it } from 'vitest'
import { applyToWeight, applyTransform, solveSharedTransform } from '../../../../src/main/engine/erasure/closed-form'
import { OrtMatMul } from '../../../../src/main/engine/linalg/ort-matmul'

/** A small seeded generator for test data (independent of the engine's noise module). */
function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32 - 0.5
  }
}
const randArray = (n: number, rnd: () => number, scale = 1): Float32Array =>
  Float32Array.from({ length: n }, () => rnd() * scale)

/**
 * Direct per-layer least squares, written independently of the engine: each output row w of a
 * layer W (C×d, torch layout) minimises Σ(w·e_i − w_org·e*_i)² + λ1Σ(w·e_j − w_org·e_j)² +
 * λ‖w − w_org‖². Stacking the equations gives M·w ≈ y; we solve the normal equations
 * (MᵀM)w = Mᵀy by Gauss–Jordan elimination with partial pivoting in float64.
 */
function directLayerSolve(
  w: Float32Array,
  c: number,
  d: number,
  src: Float32Array,
  tgt: Float32Array,
  pre: Float32Array,
  lambda: number,
  lambda1: number,
): Float64Array {
  const rows: { coef: Float64Array; weight: number; rhs: (wo: Float64Array) => number }[] = []
  const dot = (a: Float64Array, b: Float32Array, off: number): number => {
    let s = 0
    for (let k = 0; k < d; k++) s += a[k]! * b[off + k]!
    return s
  }
  for (let i = 0; i < src.length / d; i++) {
    rows.push({ coef: Float64Array.from(src.subarray(i * d, i * d + d)), weight: 1, rhs: (wo) => dot(wo, tgt, i * d) })
  }
  for (let j = 0; j < pre.length / d; j++) {
    rows.push({ coef: Float64Array.from(pre.subarray(j * d, j * d + d)), weight: lambda1, rhs: (wo) => dot(wo, pre, j * d) })
  }
  for (let k = 0; k < d; k++) {
    const coef = new Float64Array(d)
    coef[k] = 1
    rows.push({ coef, weight: lambda, rhs: (wo) => wo[k]! })
  }
  const out = new Float64Array(c * d)
  for (let r = 0; r < c; r++) {
    const wo = Float64Array.from(w.subarray(r * d, r * d + d))
    const aug = Array.from({ length: d }, () => new Float64Array(d + 1))
    for (const row of rows) {
      const y = row.rhs(wo)
      for (let p = 0; p < d; p++) {
        for (let q = 0; q < d; q++) aug[p]![q] = aug[p]![q]! + row.weight * row.coef[p]! * row.coef[q]!
        aug[p]![d] = aug[p]![d]! + row.weight * row.coef[p]! * y
      }
    }
    for (let col = 0; col < d; col++) {
      let piv = col
      for (let p = col + 1; p < d; p++) if (Math.abs(aug[p]![col]!) > Math.abs(aug[piv]![col]!)) piv = p
      ;[aug[col], aug[piv]] = [aug[piv]!, aug[col]!]
      for (let p = 0; p < d; p++) {
        if (p === col) continue
        const f = aug[p]![col]! / aug[col]![col]!
        for (let q = col; q <= d; q++) aug[p]![q] = aug[p]![q]! - f * aug[col]![q]!
      }
    }
    for (let p = 0; p < d; p++) out[r * d + p] = aug[p]![d]! / aug[p]![p]!
  }
  return out
}

const maxRelErr = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let num = 0
  let den = 0
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!))
    den = Math.max(den, Math.abs(b[i]!))
  }
  return num / den
}

describe('closed-form shared transform', () => {
  const mm = new OrtMatMul(1)
  afterAll(() => mm.dispose())
  const d = 12
  const rnd = lcg(7)
  const src = randArray(5 * d, rnd, 4)
  const tgt = randArray(5 * d, rnd, 4)
  const pre = randArray(9 * d, rnd, 4)

  it('W_org·T equals a direct per-layer least-squares solve, for layers of several widths', async () => {
    const t = await solveSharedTransform({ dim: d, source: src, target: tgt, preserve: pre, lambda: 0.1, lambda1: 0.1 }, mm)
    for (const c of [3, 8, 20]) {
      const w = randArray(c * d, rnd)
      const direct = directLayerSolve(w, c, d, src, tgt, pre, 0.1, 0.1)
      // ONNX layout B = Wᵀ (d×c); edited B' = Tᵀ·B, so W' = B'ᵀ.
      const b = new Float32Array(d * c)
      for (let i = 0; i < c; i++) for (let k = 0; k < d; k++) b[k * c + i] = w[i * d + k]!
      const edited = await applyToWeight(b, c, t, mm)
      const wEdited = new Float64Array(c * d)
      for (let i = 0; i < c; i++) for (let k = 0; k < d; k++) wEdited[i * d + k] = edited[k * c + i]!
      expect(maxRelErr(wEdited, direct)).toBeLessThan(1e-5)
    }
  })

  it('maps erased embeddings to the anchor: W·e ≈ W_org·e* when λ is small', async () => {
    const t = await solveSharedTransform({ dim: d, source: src, target: tgt, preserve: new Float32Array(0), lambda: 1e-6, lambda1: 0 }, mm)
    const mapped = await applyTransform(src, t, mm)
    expect(maxRelErr(mapped, tgt)).toBeLessThan(1e-4)
  })

  it('keeps preserved embeddings in place, more tightly as λ1 grows', async () => {
    const errs: number[] = []
    for (const lambda1 of [0.1, 1, 10, 100]) {
      const t = await solveSharedTransform({ dim: d, source: src.subarray(0, 2 * d), target: tgt.subarray(0, 2 * d), preserve: pre, lambda: 0.1, lambda1 }, mm)
      errs.push(maxRelErr(await applyTransform(pre, t, mm), pre))
    }
    for (let i = 1; i < errs.length; i++) expect(errs[i]!).toBeLessThan(errs[i - 1]!)
    expect(errs[errs.length - 1]!).toBeLessThan(0.05)
  })

  it('is bit-for-bit reproducible', async () => {
    const input = { dim: d, source: src, target: tgt, preserve: pre, lambda: 0.1, lambda1: 0.1 }
    const a = await solveSharedTransform(input, mm)
    const b = await solveSharedTransform(input, mm)
    expect(Buffer.from(a.tt.buffer).equals(Buffer.from(b.tt.buffer))).toBe(true)
  })

  it('stays accurate on a badly conditioned problem (condition number ~1e6)', async () => {
    // Embeddings that share one dominant direction, as CLIP token embeddings do.
    const dd = 64
    const r2 = lcg(11)
    const common = randArray(dd, r2, 30)
    const mk = (rows: number): Float32Array => {
      const a = randArray(rows * dd, r2, 0.05)
      for (let i = 0; i < rows; i++) for (let k = 0; k < dd; k++) a[i * dd + k] = a[i * dd + k]! + common[k]!
      return a
    }
    const s = mk(40)
    const g = mk(40)
    const p = mk(80)
    const t = await solveSharedTransform({ dim: dd, source: s, target: g, preserve: p, lambda: 1e-3, lambda1: 0.1 }, mm)
    const w = randArray(6 * dd, r2)
    const direct = directLayerSolve(w, 6, dd, s, g, p, 1e-3, 0.1)
    const b = new Float32Array(dd * 6)
    for (let i = 0; i < 6; i++) for (let k = 0; k < dd; k++) b[k * 6 + i] = w[i * dd + k]!
    const edited = await applyToWeight(b, 6, t, mm)
    const wEdited = new Float64Array(6 * dd)
    for (let i = 0; i < 6; i++) for (let k = 0; k < dd; k++) wEdited[i * dd + k] = edited[k * 6 + i]!
    expect(maxRelErr(wEdited, direct)).toBeLessThan(1e-5)
  })
})
