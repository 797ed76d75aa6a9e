/**
 * The JSON and text files of a diffusers ONNX folder: model_index.json, the scheduler config
 * and the CLIP tokenizer files, written the way SD checkpoints ship them.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildTinyVocab, writeTinyTokenizerFiles } from './tiny-vocab'
import type { VariantSpec } from './variants'

const DIFFUSERS_VERSION = '0.27.2'
const START = '<|startoftext|>'
const END = '<|endoftext|>'

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`)
}

/** model_index.json: OnnxStableDiffusionPipeline (diffusers) or Optimum's copy of the original. */
export async function writeModelIndex(
  dir: string,
  spec: Pick<VariantSpec, 'layout' | 'vaeEncoder'>,
): Promise<void> {
  const common = {
    _diffusers_version: DIFFUSERS_VERSION,
    feature_extractor: [null, null],
    requires_safety_checker: false,
    safety_checker: [null, null],
    scheduler: ['diffusers', 'PNDMScheduler'],
    tokenizer: ['transformers', 'CLIPTokenizer'],
  }
  const onnx = ['diffusers', 'OnnxRuntimeModel']
  const index =
    spec.layout === 'optimum'
      ? {
          _class_name: 'StableDiffusionPipeline',
          ...common,
          image_encoder: [null, null],
          text_encoder: ['transformers', 'CLIPTextModel'],
          unet: ['diffusers', 'UNet2DConditionModel'],
          vae: ['diffusers', 'AutoencoderKL'],
        }
      : {
          _class_name: 'OnnxStableDiffusionPipeline',
          ...common,
          text_encoder: onnx,
          unet: onnx,
          vae_decoder: onnx,
          ...(spec.vaeEncoder === undefined ? {} : { vae_encoder: onnx }),
        }
  await writeJson(join(dir, 'model_index.json'), index)
}

/** scheduler/scheduler_config.json: the PNDM config SD ships (v_prediction for SD2). */
export async function writeSchedulerConfig(
  dir: string,
  spec: Pick<VariantSpec, 'predictionType'>,
): Promise<void> {
  await mkdir(join(dir, 'scheduler'), { recursive: true })
  await writeJson(join(dir, 'scheduler', 'scheduler_config.json'), {
    _class_name: 'PNDMScheduler',
    _diffusers_version: DIFFUSERS_VERSION,
    beta_end: 0.012,
    beta_schedule: 'scaled_linear',
    beta_start: 0.00085,
    clip_sample: false,
    num_train_timesteps: 1000,
    prediction_type: spec.predictionType,
    set_alpha_to_one: false,
    skip_prk_steps: true,
    steps_offset: 1,
    timestep_spacing: 'leading',
    trained_betas: null,
  })
}

export interface TokenizerFacts {
  vocabSize: number
  bosId: number
  eosId: number
  padId: number
  padToken: string
}

/** tokenizer/: vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json. */
export async function writeTokenizer(dir: string, spec: VariantSpec): Promise<TokenizerFacts> {
  const { vocab } = buildTinyVocab()
  const idOf = (token: string): number => {
    const id = vocab[token]
    if (id === undefined) throw new Error(`the tiny vocabulary has no ${token}`)
    return id
  }
  const padToken = spec.padWithEndOfText ? END : '!'
  await writeTinyTokenizerFiles(join(dir, 'tokenizer'), { padWithEndOfText: spec.padWithEndOfText })
  return {
    vocabSize: Object.keys(vocab).length,
    bosId: idOf(START),
    eosId: idOf(END),
    padId: idOf(padToken),
    padToken,
  }
}

/**
 * unet/config.json as Optimum exports carry it (the diffusers conversion script writes none):
 * K/V discovery names layers from it when the graph has no module-path node names.
 */
export async function writeUNetConfig(dir: string, spec: Pick<VariantSpec, 'unet'>): Promise<void> {
  const u = spec.unet
  await writeJson(join(dir, 'unet', 'config.json'), {
    _class_name: 'UNet2DConditionModel',
    _diffusers_version: '0.27.2',
    in_channels: u.latentChannels,
    out_channels: u.latentChannels,
    block_out_channels: u.blockOutChannels,
    down_block_types: u.downBlockTypes,
    up_block_types: u.upBlockTypes,
    layers_per_block: u.layersPerBlock,
    cross_attention_dim: u.contextDim,
    attention_head_dim: u.heads,
    norm_num_groups: u.normGroups,
    use_linear_projection: u.linearProjection,
  })
}
