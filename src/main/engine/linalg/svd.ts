import { createNoiseSource } from '../sd/noise'

/**
 * Low-rank factorization for LoRA export: Δ (m×n, row-major float64) ≈ U·V with U m×k and
 * V k×n, by randomized range finding with power iterations (Halko, Martinsson & Tropp 2011)
 * followed by an exact SVD of the small projected matrix (one-sided Jacobi). When rank(Δ) ≤ k
 * the factorization is exact to rounding; otherwise it is the (near-)optimal truncation, and
 * the caller measures the actual relative Frobenius error. Sizes here are at most 1280×1024,
 * so plain JS products (k+p columns at a time) are fast enough (tens of ms per layer).
 */
export interface LowRank {
  /** m×k, already scaled by the singular values. */
  readonly up: Float64Array
  /** k×n, orthonormal rows. */
  readonly down: Float64Array
  readonly rank: number
  /** Singular values found, descending (length k). */
  readonly singular: Float64Array
  /** ‖Δ − up·down‖_F / ‖Δ‖_F, measured (0 for a zero matrix). */
  readonly relError: number
}

/** out (m×c) = a (m×n) · b (n×c). */
function mul(a: Float64Array, b: Float64Array, m: number, n: number, c: number): Float64Array {
  const out = new Float64Array(m * c)
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < n; k++) {
      const v = a[i * n + k]!
      if (v === 0) continue
      for (let j = 0; j < c; j++) out[i * c + j] = out[i * c + j]! + v * b[k * c + j]!
    }
  }
  return out
}

/** out (n×c) = aᵀ (n×m) · b (m×c), for a m×n. */
function mulT(a: Float64Array, b: Float64Array, m: number, n: number, c: number): Float64Array {
  const out = new Float64Array(n * c)
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < n; k++) {
      const v = a[i * n + k]!
      if (v === 0) continue
      for (let j = 0; j < c; j++) out[k * c + j] = out[k * c + j]! + v * b[i * c + j]!
    }
  }
  return out
}

/** Orthonormalizes the c columns of y (m×c) in place by modified Gram–Schmidt, twice. */
function orthonormalize(y: Float64Array, m: number, c: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < c; j++) {
      for (let p = 0; p < j; p++) {
        let dot = 0
        for (let i = 0; i < m; i++) dot += y[i * c + j]! * y[i * c + p]!
        for (let i = 0; i < m; i++) y[i * c + j] = y[i * c + j]! - dot * y[i * c + p]!
      }
      let norm = 0
      for (let i = 0; i < m; i++) norm += y[i * c + j]! ** 2
      norm = Math.sqrt(norm)
      for (let i = 0; i < m; i++) y[i * c + j] = norm > 1e-300 ? y[i * c + j]! / norm : 0
    }
  }
}

/**
 * SVD of a small matrix b (r×n, r ≤ n) by one-sided Jacobi on its rows: returns the row
 * rotation W (r×r, orthogonal), singular values s and right vectors V (r×n) with
 * b = Wᵀ·diag(s)·V... expressed as rows: row i of b = Σ_j W[j][i]·s_j·V_j.
 */
function smallSvd(b: Float64Array, r: number, n: number): { w: Float64Array; s: Float64Array; v: Float64Array } {
  const a = Float64Array.from(b)
  const w = new Float64Array(r * r)
  for (let i = 0; i < r; i++) w[i * r + i] = 1
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0
    for (let p = 0; p < r - 1; p++) {
      for (let q = p + 1; q < r; q++) {
        let alpha = 0
        let beta = 0
        let gamma = 0
        for (let k = 0; k < n; k++) {
          const x = a[p * n + k]!
          const y = a[q * n + k]!
          alpha += x * x
          beta += y * y
          gamma += x * y
        }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma === 0) continue
        off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta))
        const zeta = (beta - alpha) / (2 * gamma)
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta))
        const c = 1 / Math.sqrt(1 + t * t)
        const s = c * t
        for (let k = 0; k < n; k++) {
          const x = a[p * n + k]!
          const y = a[q * n + k]!
          a[p * n + k] = c * x - s * y
          a[q * n + k] = s * x + c * y
        }
        for (let k = 0; k < r; k++) {
          const x = w[p * r + k]!
          const y = w[q * r + k]!
          w[p * r + k] = c * x - s * y
          w[q * r + k] = s * x + c * y
        }
      }
    }
    if (off < 1e-14) break
  }
  const s = new Float64Array(r)
  const v = new Float64Array(r * n)
  for (let i = 0; i < r; i++) {
    let norm = 0
    for (let k = 0; k < n; k++) norm += a[i * n + k]! ** 2
    norm = Math.sqrt(norm)
    s[i] = norm
    for (let k = 0; k < n; k++) v[i * n + k] = norm > 0 ? a[i * n + k]! / norm : 0
  }
  return { w, s, v }
}

export function frobenius(a: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!
  return Math.sqrt(s)
}

/** Rank-k factorization of delta (m×n). `seed` fixes the random test matrix. */
export function lowRank(delta: Float64Array, m: number, n: number, k: number, options: { oversample?: number; powerIterations?: number; seed?: number } = {}): LowRank {
  const rank = Math.max(1, Math.min(k, m, n))
  const c = Math.min(rank + (options.oversample ?? 8), m, n)
  const omega = Float64Array.from(createNoiseSource(options.seed ?? 0).normal(n * c))
  let y = mul(delta, omega, m, n, c)
  orthonormalize(y, m, c)
  for (let it = 0; it < (options.powerIterations ?? 3); it++) {
    const z = mulT(delta, y, m, n, c)
    orthonormalize(z, n, c)
    y = mul(delta, z, m, n, c)
    orthonormalize(y, m, c)
  }
  // B = Qᵀ·Δ (c×n); Δ ≈ Q·B.
  const b = mulT(y, delta, m, c, n)
  const { w, s, v } = smallSvd(b, c, n)
  const order = [...s.keys()].sort((i, j) => s[j]! - s[i]!).slice(0, rank)
  const up = new Float64Array(m * rank)
  const down = new Float64Array(rank * n)
  const singular = new Float64Array(rank)
  order.forEach((src, j) => {
    singular[j] = s[src]!
    down.set(v.subarray(src * n, src * n + n), j * n)
    // Left vector u_j = Q · W[src,:]ᵀ (W rows rotate the rows of B), scaled by s_j.
    for (let i = 0; i < m; i++) {
      let acc = 0
      for (let p = 0; p < c; p++) acc += y[i * c + p]! * w[src * c + p]!
      up[i * rank + j] = acc * s[src]!
    }
  })
  const approx = mul(up, down, m, rank, n)
  let err = 0
  for (let i = 0; i < approx.length; i++) err += (approx[i]! - delta[i]!) ** 2
  const norm = frobenius(delta)
  return { up, down, rank, singular, relError: norm > 0 ? Math.sqrt(err) / norm : 0 }
}
