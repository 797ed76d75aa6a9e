/**
 * Dense float64 Cholesky pieces for the closed-form edit. The matrices are d×d with d the text
 * context width (768 or 1024), symmetric positive definite thanks to the ridge term, and often
 * badly conditioned (1e5–1e6 with CLIP embeddings): float64 keeps the solve at ~1e-10 where an
 * all-float32 inverse was measured off by 1e-2 or worse.
 *
 * Matrices are row-major Float64Array of n×n.
 */

/** Thrown when the matrix is not (numerically) positive definite; names the pivot. */
export class NotPositiveDefiniteError extends Error {
  constructor(readonly pivot: number, readonly value: number) {
    super(`Matrix is not positive definite (pivot ${pivot} = ${value.toExponential(3)}); increase the ridge λ.`)
    this.name = 'NotPositiveDefiniteError'
  }
}

/**
 * Returns L (lower triangular, row-major, upper part zero) with A = L·Lᵀ. Row-oriented
 * (Cholesky–Banachiewicz) so the inner loop is a contiguous dot product.
 */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    const ri = i * n
    for (let j = 0; j <= i; j++) {
      const rj = j * n
      let sum = a[ri + j]!
      for (let k = 0; k < j; k++) sum -= l[ri + k]! * l[rj + k]!
      if (i === j) {
        if (!(sum > 0)) throw new NotPositiveDefiniteError(i, sum)
        l[ri + i] = Math.sqrt(sum)
      } else {
        l[ri + j] = sum / l[rj + j]!
      }
    }
  }
  return l
}

/**
 * Inverse of a lower-triangular matrix (itself lower triangular). Column j of L⁻¹ solves
 * L·x = e_j by forward substitution, starting at row j since the entries above are zero.
 * Written row-wise into a transposed buffer so the inner loop stays contiguous.
 */
export function invertLower(l: Float64Array, n: number): Float64Array {
  // xt holds (L⁻¹)ᵀ: row j of xt is column j of L⁻¹.
  const xt = new Float64Array(n * n)
  for (let j = 0; j < n; j++) {
    const rj = j * n
    xt[rj + j] = 1 / l[j * n + j]!
    for (let i = j + 1; i < n; i++) {
      const ri = i * n
      let sum = 0
      for (let k = j; k < i; k++) sum -= l[ri + k]! * xt[rj + k]!
      xt[rj + i] = sum / l[ri + i]!
    }
  }
  return transpose(xt, n)
}

export function transpose(a: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j]!
  return t
}

/** Solves A·x = b for one right-hand side given L (two triangular solves). */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let sum = b[i]!
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * y[k]!
    y[i] = sum / l[i * n + i]!
  }
  const x = new Float64Array(n)
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * x[k]!
    x[i] = sum / l[i * n + i]!
  }
  return x
}
