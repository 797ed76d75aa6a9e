import { createNoiseSource } from '../../sd/noise'

/**
 * One LoRA on one K/V projection. In torch layout the layer becomes W = W_cf + s·B·A with
 * A [r, d], B [C, r], s = alpha / r; in ONNX MatMul layout (B_onnx = Wᵀ, [d, C]) that is
 * B_onnx = B_cf + s·Aᵀ·Bᵀ. A starts Gaussian (std 1/r, as PEFT's "gaussian" init), B at zero,
 * so training starts exactly at the closed-form weights (paper §3.2, Algorithm 1 line 26).
 */
export interface LoraLayer {
  readonly path: string
  /** The ONNX initializer / K/V-as-inputs feed name of this projection. */
  readonly initializer: string
  readonly width: number
  readonly contextDim: number
  readonly a: Float32Array
  readonly b: Float32Array
}

export interface LoraSet {
  readonly rank: number
  readonly alpha: number
  readonly layers: LoraLayer[]
}

export const loraScale = (set: LoraSet): number => set.alpha / set.rank

export function initLora(projections: readonly { path: string; initializer: string; width: number; contextDim: number }[], rank: number, alpha: number, seed: number): LoraSet {
  const rng = createNoiseSource(seed)
  const layers = projections.map((p) => ({
    path: p.path,
    initializer: p.initializer,
    width: p.width,
    contextDim: p.contextDim,
    a: rng.normal(rank * p.contextDim).map((x) => x / rank),
    b: new Float32Array(p.width * rank),
  }))
  return { rank, alpha, layers }
}

/** B_onnx,eff = B_cf + s·Aᵀ·Bᵀ for one layer ([d, C], row-major). */
export function effectiveWeight(layer: LoraLayer, base: Float32Array, rank: number, s: number): Float32Array {
  const { contextDim: d, width: c } = layer
  const out = Float32Array.from(base)
  for (let r = 0; r < rank; r++)
    for (let k = 0; k < d; k++) {
      const av = layer.a[r * d + k]! * s
      if (av === 0) continue
      for (let j = 0; j < c; j++) out[k * c + j] = out[k * c + j]! + av * layer.b[j * rank + r]!
    }
  return out
}

/**
 * Chain rule from the gradient G = ∂L/∂B_onnx,eff ([d, C]) to the LoRA factors:
 * ∂L/∂A[r,k] = s·Σ_c G[k,c]·B[c,r],  ∂L/∂B[c,r] = s·Σ_k G[k,c]·A[r,k].
 */
export function loraGradients(layer: LoraLayer, g: Float32Array, rank: number, s: number): { da: Float32Array; db: Float32Array } {
  const { contextDim: d, width: c } = layer
  const da = new Float32Array(rank * d)
  const db = new Float32Array(c * rank)
  for (let k = 0; k < d; k++)
    for (let j = 0; j < c; j++) {
      const gv = g[k * c + j]! * s
      if (gv === 0) continue
      for (let r = 0; r < rank; r++) {
        da[r * d + k] = da[r * d + k]! + gv * layer.b[j * rank + r]!
        db[j * rank + r] = db[j * rank + r]! + gv * layer.a[r * d + k]!
      }
    }
  return { da, db }
}

/** Torch-layout ΔW = s·B·A [C, d] of a trained layer (what exports add to the closed form). */
export function loraDelta(layer: LoraLayer, rank: number, s: number): Float32Array {
  const { contextDim: d, width: c } = layer
  const out = new Float32Array(c * d)
  for (let j = 0; j < c; j++)
    for (let r = 0; r < rank; r++) {
      const bv = layer.b[j * rank + r]! * s
      if (bv === 0) continue
      for (let k = 0; k < d; k++) out[j * d + k] = out[j * d + k]! + bv * layer.a[r * d + k]!
    }
  return out
}
