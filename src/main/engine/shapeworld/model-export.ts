/**
 * Writes a trained ShapeWorld model as a diffusers ONNX folder (OnnxStableDiffusionPipeline
 * layout) that `loadSdModel` opens like any exported Stable Diffusion checkpoint:
 * model_index.json, text_encoder/, unet/ (+ config.json), vae_decoder/, tokenizer/,
 * scheduler/, and shapeworld.json (how it was trained).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ModelProto } from 'onnx-buf'
import { writeModel } from '../onnx'
import { writeModelIndex, writeSchedulerConfig, writeUNetConfig } from '../tiny/pipeline-files'
import type { TinyVocab } from '../tiny/tiny-vocab'
import { writeClipTokenizerFiles } from '../tiny/tiny-vocab'
import { unetConfig } from './model-config'
import type { ShapeWorldModelConfig } from './model-config'
import { buildTextEncoderModel, buildUNetModel } from './model-graphs'
import type { ParamSet } from './model-graphs'
import type { PatchPca } from './model-pca'
import { buildVaeDecoderModel } from './model-vae'
import { TRAIN_SCHEDULE } from './train-data'

export interface ShapeWorldModelParts {
  readonly config: ShapeWorldModelConfig
  readonly vocab: TinyVocab
  readonly params: ParamSet
  readonly pca: PatchPca
}

/** Training facts written to shapeworld.json beside the pipeline. */
export interface ShapeWorldTrainingInfo {
  readonly seed: number
  readonly step: number
  readonly totalSteps: number
  readonly batch: number
  readonly smoothedLoss: number | null
  /** What each latent channel counted in the loss (train-loss-weight.ts). */
  readonly lossWeighting?: string
  /** The `training` block of the model this run started from (`--init-from`), if any. */
  readonly startedFrom?: unknown
}

export async function writeShapeWorldPipeline(
  dir: string,
  parts: ShapeWorldModelParts,
  info: ShapeWorldTrainingInfo,
): Promise<void> {
  const { config, vocab, params, pca } = parts
  const vocabSize = Object.keys(vocab.vocab).length
  await mkdir(dir, { recursive: true })
  const save = async (name: string, model: ModelProto): Promise<void> => {
    await mkdir(join(dir, name), { recursive: true })
    await writeModel(model, join(dir, name, 'model.onnx'))
  }
  await writeModelIndex(dir, { layout: 'diffusers', vaeEncoder: undefined })
  await writeSchedulerConfig(dir, { predictionType: TRAIN_SCHEDULE.prediction_type })
  await writeClipTokenizerFiles(join(dir, 'tokenizer'), vocab, {
    padWithEndOfText: true,
    maxLength: config.text.maxLength,
  })
  await save('text_encoder', buildTextEncoderModel(config, vocabSize, params))
  await save('unet', buildUNetModel(config, params).model)
  await writeUNetConfig(dir, { unet: unetConfig(config) })
  await save('vae_decoder', buildVaeDecoderModel(pca))
  const about = {
    model: 'ShapeWorld text-to-image (RealEra Studio issue #8)',
    config,
    training: info,
    vae: 'fixed linear decoder: PCA of 8×8×3 patches (see src/main/engine/shapeworld/README.md)',
  }
  await writeFile(join(dir, 'shapeworld.json'), `${JSON.stringify(about, null, 2)}\n`)
}

/** The `training` block of a ShapeWorld folder's shapeworld.json (null when there is none). */
export async function readTrainingInfo(dir: string): Promise<unknown> {
  try {
    const about = JSON.parse(await readFile(join(dir, 'shapeworld.json'), 'utf8')) as {
      training?: unknown
    }
    return about.training ?? null
  } catch {
    return null
  }
}
