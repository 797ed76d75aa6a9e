import * as ort from 'onnxruntime-node'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Experiment, Project } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import type { SharedTransform } from '../engine/erasure/closed-form'
import { applyToWeight, applyTransform } from '../engine/erasure/closed-form'
import { loraDeltasFromFile } from '../engine/erasure/lora/lora-files'
import type { RgbImage } from '../engine/eval/classifier'
import { decodeSafeTensors, toFloat32Array } from '../engine/export/safetensors'
import type { OrtMatMul } from '../engine/linalg/ort-matmul'
import type { Txt2ImgHooks, Txt2ImgInput } from '../engine/sd/pipelines/txt2img'
import { txt2img } from '../engine/sd/pipelines/txt2img'
import { decodePng } from '../engine/sd/png'
import type { SdModel } from '../engine/sd/sd-model'

/**
 * How an experiment's erased model draws, shared by the erase job's gallery and the evaluation:
 * stage 1 alone feeds `E·Tᵀ` to cross-attention (the model loaded as is); the full variant loads
 * the U-Net with K/V weights as inputs and feeds its final weights (closed form plus LoRA).
 */

/** Whether the experiment's model is loaded with K/V weights as inputs (the full variant). */
export const needsKvInputs = (exp: Experiment): boolean => exp.params.variant === 'full'

/** Gallery image side: the setting, else what the model was trained at (tiny models: 64). */
export function gallerySize(exp: Experiment, model: SdModel): number {
  if (exp.gallery.size) return exp.gallery.size
  const f = model.facts
  if (f.sdVersion === '1.x') return 512
  if (f.sdVersion === '2.x') return f.predictionType === 'v_prediction' ? 768 : 512
  return 64
}

/** Stage 1's edit: the closed form applied to the text embedding. */
export function transformHooks(t: SharedTransform, mm: OrtMatMul): Txt2ImgHooks {
  return { transformContext: (hidden) => applyTransform(hidden, t, mm) }
}

/** Final K/V weights (ONNX layout, keyed by initializer) as U-Net feeds. */
export function weightFeeds(model: SdModel, weights: ReadonlyMap<string, Float32Array>): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {}
  for (const p of model.kv.projections) feeds[p.initializer] = new ort.Tensor('float32', weights.get(p.initializer)!, [p.contextDim, p.width])
  return feeds
}

/** The shared transform stored in an edit artifact (`T` in torch convention, float32). */
export function transformFromArtifact(bytes: Uint8Array, file: string): SharedTransform {
  const t = decodeSafeTensors(bytes, file).tensors.get('T')
  const d = t?.shape[0]
  if (!t || d === undefined || t.shape.length !== 2 || t.shape[1] !== d) throw new StudioError('invalid-input', `${file} holds no square T matrix; run the experiment again.`)
  const torchT = toFloat32Array(t)
  const tt = new Float64Array(d * d)
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) tt[j * d + i] = torchT[i * d + j]!
  return { dim: d, tt, sourceRows: 0, preserveRows: 0 }
}

/**
 * The hooks that make txt2img draw with a finished experiment's edit, rebuilt from its stored
 * files: T from the edit artifact, and for the full variant the K/V weights `Tᵀ·B` plus the
 * LoRA stage's delta. `model` must be loaded with `kvInputs: needsKvInputs(exp)`.
 */
export async function loadErasedHooks(project: Project, exp: Experiment, model: SdModel, mm: OrtMatMul): Promise<Txt2ImgHooks> {
  if (!exp.artifactPath) throw new StudioError('conflict', `Experiment ${exp.number} has no edit file; run it again.`)
  const t = transformFromArtifact(readFileSync(path.join(project.dir, exp.artifactPath)), exp.artifactPath)
  if (t.dim !== model.facts.contextDim) {
    throw new StudioError('invalid-input', `Experiment ${exp.number}'s edit is ${t.dim} wide but the model's text embedding is ${model.facts.contextDim}: it was made for another model.`)
  }
  if (!needsKvInputs(exp)) return transformHooks(t, mm)
  if (!exp.loraPath) throw new StudioError('conflict', `Experiment ${exp.number} is a full-variant run without its LoRA file; resume or run it again.`)
  if (!model.kvWeights) throw new Error('the full variant needs the model loaded with K/V weights as inputs')
  const lora = loraDeltasFromFile(readFileSync(path.join(project.dir, exp.loraPath)))
  const weights = new Map<string, Float32Array>()
  for (const p of model.kv.projections) {
    const w = await applyToWeight(model.kvWeights[p.initializer]!.data as Float32Array, p.width, t, mm)
    const delta = lora.get(p.path) // torch layout [C, d]
    if (delta) for (let k = 0; k < p.contextDim; k++) for (let c = 0; c < p.width; c++) w[k * p.width + c] = w[k * p.width + c]! + delta[c * p.contextDim + k]!
    weights.set(p.initializer, w)
  }
  return { unetFeeds: weightFeeds(model, weights) }
}

/** One image as 8-bit RGB (what classifiers judge): txt2img, its PNG decoded. */
export async function drawRgb(model: SdModel, params: Txt2ImgInput, hooks: Txt2ImgHooks, signal: AbortSignal): Promise<RgbImage> {
  const result = await txt2img(model, params, hooks, { signal })
  const { width, height, rgba } = decodePng(result.png)
  const rgb = new Uint8Array(width * height * 3)
  for (let p = 0; p < width * height; p++) {
    rgb[p * 3] = rgba[p * 4]!
    rgb[p * 3 + 1] = rgba[p * 4 + 1]!
    rgb[p * 3 + 2] = rgba[p * 4 + 2]!
  }
  return { width, height, rgb }
}
