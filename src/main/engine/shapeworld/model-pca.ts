/**
 * The ShapeWorld VAE is fixed and linear: a PCA of 8×8×3 pixel patches. Encoding projects each
 * patch of a 64×64 image onto the top `k` principal components and divides each coefficient by
 * its standard deviation over the fit data, so every latent channel has unit variance (SD's
 * latents are near unit variance after × 0.18215). Decoding is the exact inverse within the
 * kept subspace: mean + Σ components · std · latent. Patches are flattened channel-major
 * (c·64 + row·8 + col), the order ONNX DepthToSpace (CRD) reads, so the decoder graph is one
 * 1×1 Conv and one DepthToSpace (model-vae.ts).
 */
import { createRng, renderScene, sampleScene } from './world'

export const PATCH = 8
/** Values in one 8×8 RGB patch. */
export const PATCH_VALUES = PATCH * PATCH * 3

export interface PatchPca {
  /** `k` orthonormal rows of PATCH_VALUES, the largest variance first. */
  readonly components: Float32Array
  /** The mean patch, PATCH_VALUES values in [-1, 1] units. */
  readonly mean: Float32Array
  /** Standard deviation of each component's coefficient over the fit data. */
  readonly scales: Float32Array
  readonly k: number
}

/** The seed of the rendered scenes the PCA is fitted on: part of the model, not of a run. */
export const PCA_FIT_SEED = 0x5ca1ab1e

const fitted = new Map<string, PatchPca>()

/**
 * Fits the PCA on `images` scenes rendered from PCA_FIT_SEED. Deterministic (float64 Jacobi),
 * so it is computed once per process and shared (treat the arrays as read-only).
 */
export function fitPatchPca(k: number, images: number): PatchPca {
  const key = `${k}:${images}`
  const hit = fitted.get(key)
  if (hit !== undefined) return hit
  const pca = computePatchPca(k, images)
  fitted.set(key, pca)
  return pca
}

function computePatchPca(k: number, images: number): PatchPca {
  const rng = createRng(PCA_FIT_SEED)
  const d = PATCH_VALUES
  const mean = new Float64Array(d)
  const cov = new Float64Array(d * d)
  const patches: Float64Array[] = []
  const patch = new Float64Array(d)
  for (let n = 0; n < images; n++) {
    const image = renderScene(sampleScene(rng))
    for (let by = 0; by < 8; by++) {
      for (let bx = 0; bx < 8; bx++) {
        readPatch(image, 64, by, bx, patch)
        patches.push(Float64Array.from(patch))
        for (let i = 0; i < d; i++) mean[i] = mean[i]! + patch[i]!
      }
    }
  }
  for (let i = 0; i < d; i++) mean[i] = mean[i]! / patches.length
  for (const p of patches) {
    for (let i = 0; i < d; i++) p[i] = p[i]! - mean[i]!
    for (let i = 0; i < d; i++) {
      const pi = p[i]!
      if (pi === 0) continue
      const row = i * d
      for (let j = i; j < d; j++) cov[row + j] = cov[row + j]! + pi * p[j]!
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = cov[i * d + j]! / patches.length
      cov[i * d + j] = v
      cov[j * d + i] = v
    }
  }
  const { values, vectors } = symmetricEigen(cov, d)
  const order = Array.from(values.keys()).sort((a, b) => values[b]! - values[a]! || a - b)
  const components = new Float32Array(k * d)
  const scales = new Float32Array(k)
  for (let c = 0; c < k; c++) {
    const col = order[c]!
    // A deterministic sign: the largest-magnitude element is positive.
    let big = 0
    for (let i = 0; i < d; i++)
      if (Math.abs(vectors[i * d + col]!) > Math.abs(big)) big = vectors[i * d + col]!
    const sign = big < 0 ? -1 : 1
    for (let i = 0; i < d; i++) components[c * d + i] = sign * vectors[i * d + col]!
    scales[c] = Math.sqrt(Math.max(values[col]!, 1e-12))
  }
  return { components, mean: Float32Array.from(mean), scales, k }
}

/** Pixel bytes to [-1, 1], the VAE's image range (diffusers' `2x − 1`). */
function toUnit(byte: number): number {
  return byte / 127.5 - 1
}

function readPatch(rgb: Uint8Array, side: number, by: number, bx: number, out: Float64Array): void {
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < PATCH; i++) {
      const row = (by * PATCH + i) * side + bx * PATCH
      for (let j = 0; j < PATCH; j++) out[c * 64 + i * PATCH + j] = toUnit(rgb[(row + j) * 3 + c]!)
    }
  }
}

/**
 * Latents [k, side/8, side/8] of an RGB image (bytes, row-major), written into `out` at
 * `offset`: the training data's x0.
 */
export function encodeImage(
  pca: PatchPca,
  rgb: Uint8Array,
  side: number,
  out: Float32Array,
  offset = 0,
): void {
  const d = PATCH_VALUES
  const h = side / PATCH
  const patch = new Float64Array(d)
  for (let by = 0; by < h; by++) {
    for (let bx = 0; bx < h; bx++) {
      readPatch(rgb, side, by, bx, patch)
      for (let i = 0; i < d; i++) patch[i] = patch[i]! - pca.mean[i]!
      for (let c = 0; c < pca.k; c++) {
        let dot = 0
        const base = c * d
        for (let i = 0; i < d; i++) dot += pca.components[base + i]! * patch[i]!
        out[offset + (c * h + by) * h + bx] = dot / pca.scales[c]!
      }
    }
  }
}

/** The decoder in TS (tests compare it with the ONNX graph): [3, side, side] in [-1, 1]. */
export function decodeLatents(pca: PatchPca, latents: Float32Array, h: number): Float32Array {
  const side = h * PATCH
  const d = PATCH_VALUES
  const image = new Float32Array(3 * side * side)
  for (let by = 0; by < h; by++) {
    for (let bx = 0; bx < h; bx++) {
      for (let i = 0; i < d; i++) {
        let v = pca.mean[i]!
        for (let c = 0; c < pca.k; c++) {
          v += pca.components[c * d + i]! * pca.scales[c]! * latents[(c * h + by) * h + bx]!
        }
        const ch = Math.floor(i / 64)
        const y = by * PATCH + Math.floor((i % 64) / PATCH)
        const x = bx * PATCH + (i % PATCH)
        image[(ch * side + y) * side + x] = v
      }
    }
  }
  return image
}

/**
 * Eigen-decomposition of a symmetric n×n matrix (row-major) by cyclic Jacobi rotations:
 * `values[i]` with eigenvector column i of `vectors`. Plenty fast for n = 192.
 */
export function symmetricEigen(
  matrix: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix)
  const v = new Float64Array(n * n)
  for (let i = 0; i < n; i++) v[i * n + i] = 1
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0
    let diag = 0
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i]! ** 2
      for (let j = i + 1; j < n; j++) off += a[i * n + j]! ** 2
    }
    if (off <= 1e-30 * diag) break
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!
        if (apq === 0) continue
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!
          const akq = a[k * n + q]!
          a[k * n + p] = c * akp - s * akq
          a[k * n + q] = s * akp + c * akq
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!
          const aqk = a[q * n + k]!
          a[p * n + k] = c * apk - s * aqk
          a[q * n + k] = s * apk + c * aqk
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!
          const vkq = v[k * n + q]!
          v[k * n + p] = c * vkp - s * vkq
          v[k * n + q] = s * vkp + c * vkq
        }
      }
    }
  }
  const values = new Float64Array(n)
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!
  return { values, vectors: v }
}
