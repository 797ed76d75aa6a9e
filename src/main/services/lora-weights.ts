import * as ort from 'onnxruntime-node'
import { readFileSync } from 'node:fs'
import { importLora } from '../engine/export/lora-import'
import { decodeSafeTensors } from '../engine/export/safetensors'
import type { SdModel } from '../engine/sd/sd-model'

/**
 * K/V weight feeds for the K/V-as-inputs U-Net with a LoRA file applied: B' = B + scale·ΔWᵀ for
 * every matched layer. Keys that match no layer come back for the job log.
 */
export function loraFeeds(model: SdModel, file: string, scale: number): { feeds: Record<string, ort.Tensor>; unmatched: readonly string[]; format: string } {
  if (!model.kvWeights) throw new Error('the model must be loaded with K/V weights as inputs')
  const lora = importLora(decodeSafeTensors(readFileSync(file), file), model.kv.projections, scale)
  const feeds: Record<string, ort.Tensor> = { ...model.kvWeights }
  for (const p of model.kv.projections) {
    const delta = lora.deltas.get(p.path)
    if (!delta) continue
    const orig = model.kvWeights[p.initializer]!.data as Float32Array
    const b = Float32Array.from(orig)
    for (let k = 0; k < p.contextDim; k++) for (let c = 0; c < p.width; c++) b[k * p.width + c] = b[k * p.width + c]! + delta[c * p.contextDim + k]!
    feeds[p.initializer] = new ort.Tensor('float32', b, [p.contextDim, p.width])
  }
  return { feeds, unmatched: lora.unmatched, format: lora.format }
}
