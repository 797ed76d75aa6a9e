import type { ModelProto } from 'onnx-buf'
import type { OrtMatMul } from '../linalg/ort-matmul'
import { readInitializer } from '../onnx/model-io'
import type { KvProjection } from '../onnx/surgery/kv-discovery'
import type { SafeTensor } from '../export/safetensors'
import { fromFloat32Array } from '../export/safetensors'
import type { SharedTransform } from './closed-form'
import { applyToWeight } from './closed-form'

/** The original K/V weights in ONNX layout B = Wᵀ [ctx, C], keyed by module path. */
export async function readKvWeights(unet: ModelProto, unetDir: string, projections: readonly KvProjection[]): Promise<Map<string, { b: Float32Array; width: number }>> {
  const out = new Map<string, { b: Float32Array; width: number }>()
  for (const p of projections) {
    const v = await readInitializer(unet, p.initializer, unetDir)
    if (!(v.data instanceof Float32Array)) throw new Error(`${p.path}: only float32 K/V weights can be edited in this version (got an fp16 model); use the fp32 export`)
    out.set(p.path, { b: v.data, width: p.width })
  }
  return out
}

/** Torch-layout ΔW = W_org·(T − I) [C, d] for one layer, from B = Wᵀ: ΔBᵀ with ΔB = Tᵀ·B − B. */
export async function layerDelta(b: Float32Array, width: number, t: SharedTransform, mm: OrtMatMul): Promise<Float32Array> {
  const edited = await applyToWeight(b, width, t, mm)
  const d = t.dim
  const delta = new Float32Array(width * d)
  for (let k = 0; k < d; k++) for (let c = 0; c < width; c++) delta[c * d + k] = edited[k * width + c]! - b[k * width + c]!
  return delta
}

/**
 * The edit artifact of a stage-1 run: `T` [d, d] in torch convention (W_edited = W_org·T) and
 * every layer's whole delta `<module path>.delta` [C, d], float32.
 */
export async function editTensors(t: SharedTransform, weights: Map<string, { b: Float32Array; width: number }>, mm: OrtMatMul): Promise<Map<string, SafeTensor>> {
  const d = t.dim
  const torchT = new Float32Array(d * d)
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) torchT[i * d + j] = t.tt[j * d + i]!
  const tensors = new Map<string, SafeTensor>([['T', fromFloat32Array(torchT, [d, d], 'F32')]])
  for (const [path, { b, width }] of weights) {
    tensors.set(`${path}.delta`, fromFloat32Array(await layerDelta(b, width, t, mm), [width, d], 'F32'))
  }
  return tensors
}
