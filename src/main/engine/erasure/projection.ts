import type { OrtMatMul } from '../linalg/ort-matmul'

/**
 * A 2-D PCA of n points of width d, for the embedding-space map: center, form the d×d scatter
 * matrix with one ORT product, then subspace iteration for the top two directions. The map is
 * an approximation (the UI says so); distances and cosines are computed exactly elsewhere.
 */
export async function pca2(vectors: Float32Array, d: number, mm: OrtMatMul): Promise<{ xy: Float32Array; explained: [number, number] }> {
  const n = vectors.length / d
  const mean = new Float64Array(d)
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] = mean[k]! + vectors[i * d + k]! / n
  const centered = new Float64Array(n * d)
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) centered[i * d + k] = vectors[i * d + k]! - mean[k]!
  const c = (await mm.matmulTN({ data: centered, rows: n, cols: d }, { data: centered, rows: n, cols: d })).data
  // Subspace iteration on C with a fixed start, Gram–Schmidt each round.
  let q = new Float64Array(d * 2)
  for (let k = 0; k < d; k++) {
    q[k * 2] = 1 / Math.sqrt(d)
    q[k * 2 + 1] = (k % 2 === 0 ? 1 : -1) / Math.sqrt(d)
  }
  let eig: [number, number] = [0, 0]
  for (let iter = 0; iter < 200; iter++) {
    const z = new Float64Array(d * 2)
    for (let r = 0; r < d; r++) {
      let a = 0
      let b = 0
      for (let k = 0; k < d; k++) {
        const v = c[r * d + k]!
        a += v * q[k * 2]!
        b += v * q[k * 2 + 1]!
      }
      z[r * 2] = a
      z[r * 2 + 1] = b
    }
    const prev = eig
    eig = orthonormalize(z, d)
    q = z
    if (iter > 5 && Math.abs(eig[0] - prev[0]) <= 1e-10 * eig[0] && Math.abs(eig[1] - prev[1]) <= 1e-10 * Math.max(eig[1], 1e-30)) break
  }
  const xy = new Float32Array(n * 2)
  for (let i = 0; i < n; i++) {
    let a = 0
    let b = 0
    for (let k = 0; k < d; k++) {
      a += centered[i * d + k]! * q[k * 2]!
      b += centered[i * d + k]! * q[k * 2 + 1]!
    }
    xy[i * 2] = a
    xy[i * 2 + 1] = b
  }
  let total = 0
  for (let k = 0; k < d; k++) total += c[k * d + k]!
  return { xy, explained: total > 0 ? [eig[0] / total, eig[1] / total] : [0, 0] }
}

/** Gram–Schmidt on the two columns of z (d×2, row-major); returns their norms before scaling. */
function orthonormalize(z: Float64Array, d: number): [number, number] {
  let n0 = 0
  for (let k = 0; k < d; k++) n0 += z[k * 2]! ** 2
  n0 = Math.sqrt(n0) || 1
  for (let k = 0; k < d; k++) z[k * 2] = z[k * 2]! / n0
  let dot = 0
  for (let k = 0; k < d; k++) dot += z[k * 2]! * z[k * 2 + 1]!
  for (let k = 0; k < d; k++) z[k * 2 + 1] = z[k * 2 + 1]! - dot * z[k * 2]!
  let n1 = 0
  for (let k = 0; k < d; k++) n1 += z[k * 2 + 1]! ** 2
  n1 = Math.sqrt(n1) || 1
  for (let k = 0; k < d; k++) z[k * 2 + 1] = z[k * 2 + 1]! / n1
  return [n0, n1]
}
