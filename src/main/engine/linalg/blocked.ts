import { cholesky, invertLower } from './cholesky'
import type { Mat, OrtMatMul } from './ort-matmul'

/**
 * Blocked float64 Cholesky factorization and triangular inverse for d×d SPD matrices, with the
 * O(d³) work (trailing updates, panel products) done by ONNX Runtime's float64 MatMul and only
 * the small diagonal blocks factored in JS. At d = 768 this takes the JS part from ~250 ms to a
 * few tens of ms. Row-major Float64Array throughout; results equal the unblocked algorithms to
 * rounding (tested).
 */
function block(a: Float64Array, n: number, r0: number, r1: number, c0: number, c1: number): Float64Array {
  const out = new Float64Array((r1 - r0) * (c1 - c0))
  const w = c1 - c0
  for (let r = r0; r < r1; r++) out.set(a.subarray(r * n + c0, r * n + c1), (r - r0) * w)
  return out
}

function put(a: Float64Array, n: number, r0: number, c0: number, b: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) a.set(b.subarray(r * cols, r * cols + cols), (r0 + r) * n + c0)
}

const mat = (data: Float64Array, rows: number, cols: number): Mat<Float64Array> => ({ data, rows, cols })

/** Returns L⁻¹ (lower triangular) for A = L·Lᵀ. */
export async function choleskyInverse(a: Float64Array, n: number, mm: OrtMatMul, nb = 128): Promise<Float64Array> {
  if (n <= 2 * nb) return invertLower(cholesky(a, n), n)
  const work = Float64Array.from(a)
  const l = new Float64Array(n * n)
  const starts: number[] = []
  for (let s = 0; s < n; s += nb) starts.push(s)
  const diagInv: Float64Array[] = []
  // Right-looking blocked Cholesky.
  for (const [k, k0] of starts.entries()) {
    const k1 = Math.min(n, k0 + nb)
    const kb = k1 - k0
    const lkk = cholesky(block(work, n, k0, k1, k0, k1), kb)
    put(l, n, k0, k0, lkk, kb, kb)
    const lkkInv = invertLower(lkk, kb)
    diagInv[k] = lkkInv
    if (k1 === n) break
    const rows = n - k1
    // Panel: L_ik = A_ik · L_kk⁻ᵀ
    const panel = (await mm.matmulNT(mat(block(work, n, k1, n, k0, k1), rows, kb), mat(lkkInv, kb, kb))).data
    put(l, n, k1, k0, panel, rows, kb)
    // Trailing update: A_22 −= L_ik · L_ikᵀ
    const upd = (await mm.matmulNT(mat(panel, rows, kb), mat(panel, rows, kb))).data
    for (let r = 0; r < rows; r++) {
      const base = (k1 + r) * n + k1
      for (let c = 0; c <= r; c++) work[base + c] = work[base + c]! - upd[r * rows + c]!
    }
  }
  // Blocked inverse of L: X_ii = L_ii⁻¹, X_i,<i = −X_ii · (L_i,<i · X_<i,<i).
  const x = new Float64Array(n * n)
  for (const [i, i0] of starts.entries()) {
    const i1 = Math.min(n, i0 + nb)
    const ib = i1 - i0
    put(x, n, i0, i0, diagInv[i]!, ib, ib)
    if (i0 === 0) continue
    const li = block(l, n, i0, i1, 0, i0)
    const xPrev = block(x, n, 0, i0, 0, i0)
    const t = (await mm.matmul(mat(li, ib, i0), mat(xPrev, i0, i0))).data
    const xi = (await mm.matmul(mat(diagInv[i]!, ib, ib), mat(t, ib, i0))).data
    for (let k = 0; k < xi.length; k++) xi[k] = -xi[k]!
    put(x, n, i0, 0, xi, ib, i0)
  }
  return x
}
