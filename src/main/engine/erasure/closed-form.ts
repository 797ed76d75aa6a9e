import { choleskyInverse } from '../linalg/blocked'
import type { Mat, OrtMatMul } from '../linalg/ort-matmul'

/**
 * Inputs of the closed-form edit (paper eq. 7 with UCE/MACE's ridge term). All embeddings are
 * rows of width `dim` (the text context width): row i of `source` must map to row i of
 * `target` (erasure and neighbor embeddings → anchor and anchor-tolerance embeddings);
 * `preserve` rows (preserved concepts, beyond points) must map to themselves.
 */
export interface ClosedFormInput {
  readonly dim: number
  readonly source: Float32Array
  readonly target: Float32Array
  readonly preserve: Float32Array
  /** Ridge λ: keeps W close to W_org and A invertible. */
  readonly lambda: number
  /** λ1: weight of the preserved terms (paper default 0.1). */
  readonly lambda1: number
}

export interface SharedTransform {
  readonly dim: number
  /**
   * Tᵀ, row-major d×d. Every edited layer is `W_org·T` (torch layout) or `Tᵀ·B_org` (ONNX
   * MatMul layout B = Wᵀ), and the edited U-Net equals the original fed with `E·Tᵀ` as its
   * encoder hidden states.
   */
  readonly tt: Float64Array
  readonly sourceRows: number
  readonly preserveRows: number
}

const toF64 = (a: Float32Array): Float64Array => Float64Array.from(a)

/**
 * Solves for the one matrix T shared by every cross-attention K/V layer:
 *
 *   W_l = W_l,org · (λI + Σ e*_i e_iᵀ + λ1 Σ e_j e_jᵀ) · (λI + Σ e_i e_iᵀ + λ1 Σ e_j e_jᵀ)⁻¹
 *
 * W_l,org factors out on the left, so T = B·A⁻¹ with A = λI + SᵀS + λ1·PᵀP (symmetric
 * positive definite; S, S*, P hold the rows e_i, e*_i, e_j) and B = A + (S* − S)ᵀS, which
 * gives Tᵀ = I + A⁻¹·Sᵀ(S* − S).
 * Products go through ONNX Runtime in float64; the factorization is a float64 Cholesky.
 */
export async function solveSharedTransform(input: ClosedFormInput, mm: OrtMatMul): Promise<SharedTransform> {
  const d = input.dim
  const n = checkRows('source', input.source, d)
  if (checkRows('target', input.target, d) !== n) throw new Error('source and target must have the same number of rows')
  const m = checkRows('preserve', input.preserve, d)
  if (!(input.lambda > 0)) throw new Error('λ must be > 0')
  if (!(input.lambda1 >= 0)) throw new Error('λ1 must be ≥ 0')

  const src: Mat<Float64Array> = { data: toF64(input.source), rows: n, cols: d }
  const diff = new Float64Array(n * d)
  for (let i = 0; i < diff.length; i++) diff[i] = input.target[i]! - input.source[i]!

  const a = (await mm.matmulTN(src, src)).data
  if (m > 0) {
    const pre: Mat<Float64Array> = { data: toF64(input.preserve), rows: m, cols: d }
    const p = (await mm.matmulTN(pre, pre)).data
    for (let i = 0; i < a.length; i++) a[i] = a[i]! + input.lambda1 * p[i]!
  }
  for (let i = 0; i < d; i++) a[i * d + i] = a[i * d + i]! + input.lambda
  const c = await mm.matmulTN(src, { data: diff, rows: n, cols: d })

  const linv = await choleskyInverse(a, d, mm)
  const x = await mm.matmul({ data: linv, rows: d, cols: d }, c)
  const tt = (await mm.matmulTN({ data: linv, rows: d, cols: d }, x)).data
  for (let i = 0; i < d; i++) tt[i * d + i] = tt[i * d + i]! + 1
  return { dim: d, tt, sourceRows: n, preserveRows: m }
}

function checkRows(name: string, a: Float32Array, d: number): number {
  if (a.length % d !== 0) throw new Error(`${name} has ${a.length} values, not a multiple of the width ${d}`)
  return a.length / d
}

/** E·Tᵀ for embedding rows E (r×d): what the edited cross-attention sees. */
export async function applyTransform(rows: Float32Array, t: SharedTransform, mm: OrtMatMul): Promise<Float32Array> {
  const r = checkRows('rows', rows, t.dim)
  const out = await mm.matmul({ data: toF64(rows), rows: r, cols: t.dim }, { data: t.tt, rows: t.dim, cols: t.dim })
  return Float32Array.from(out.data)
}

/** Tᵀ·B for an ONNX-layout K/V weight B (d×C): the edited layer weight. */
export async function applyToWeight(b: Float32Array, cols: number, t: SharedTransform, mm: OrtMatMul): Promise<Float32Array> {
  const out = await mm.matmul({ data: t.tt, rows: t.dim, cols: t.dim }, { data: toF64(b), rows: t.dim, cols })
  return Float32Array.from(out.data)
}
