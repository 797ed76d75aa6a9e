/**
 * The tiny pipelines we generate, one per way real SD exports differ. Each variant changes the
 * things our loader, K/V discovery and autodiff must cope with, and nothing else, so a failing
 * test points at one export habit.
 *
 * | variant            | imitates                          | what differs from `sd1`                              |
 * |--------------------|-----------------------------------|------------------------------------------------------|
 * | sd1                | diffusers conversion, torch 1.x   | (baseline) int32 input_ids, int64 [B] timestep,      |
 * |                    |                                   | torch-1 attention, decomposed LayerNorm, inline      |
 * | sd1-torch2         | diffusers conversion, torch 2.x   | SDPA attention, U-Net weights in `model.onnx_data`   |
 * | sd1-opset17        | opset-17 export                   | LayerNormalization op, opset 17 in every model       |
 * | sd1-float-timestep | Optimum export                    | float [B] timestep, int64 input_ids, Optimum's       |
 * |                    |                                   | model_index.json, vae_encoder → latent_parameters    |
 * | sd1-no-names       | old torch exporter                | generic node names (MatMul_123), `weights.pb`,       |
 * |                    |                                   | float scalar timestep                                |
 * | sd2                | SD 2.x                            | linear proj_in/out, v_prediction, pad id 0, erf-GELU |
 * |                    |                                   | text encoder, context width 48 (no U-Net width)      |
 * | sd1-baddbmm        | diffusers 0.21 conversion         | attention with heads folded into the batch and       |
 * |                    |                                   | baddbmm(beta=0): ConstantOfShape(0) → Mul(0) → Add   |
 * | sd15-width         | the real SD 1.5 U-Net, random     | (320, 640, 1280, 1280), 8 heads, context 768,        |
 * |                    | weights (benchmarks only)         | 16 cross-attention layers, 3.4 GB in `weights.pb`    |
 *
 * `writeTinyPipeline`'s `attention` option swaps the U-Net's attention style of any variant, so
 * a benchmark can build the SD1.5-width U-Net in the baddbmm style without one more variant.
 */
import type { UNetAttentionStyle } from './layers-attention'
import type { LayerNormStyle } from './layers-basic'
import type { NamingStyle } from './net-context'
import type { TextEncoderConfig } from './text-encoder-graph'
import type { TimestepInput, UNetConfig } from './unet-graph'
import type { VaeConfig, VaeEncoderOutput } from './vae-graph'

export type TinyVariant =
  | 'sd1'
  | 'sd1-torch2'
  | 'sd1-opset17'
  | 'sd1-float-timestep'
  | 'sd1-no-names'
  | 'sd2'
  | 'sd1-baddbmm'
  | 'sd15-width'

export const TINY_VARIANTS: readonly TinyVariant[] = [
  'sd1',
  'sd1-torch2',
  'sd1-opset17',
  'sd1-float-timestep',
  'sd1-no-names',
  'sd2',
  'sd1-baddbmm',
  'sd15-width',
]

export type ExternalDataFile = 'weights.pb' | 'model.onnx_data'

export interface VariantSpec {
  opset: 14 | 17
  naming: NamingStyle
  /** 'diffusers': OnnxStableDiffusionPipeline model_index.json; 'optimum': Optimum's copy. */
  layout: 'diffusers' | 'optimum'
  unet: UNetConfig
  unetExternalData: ExternalDataFile | undefined
  text: TextEncoderConfig
  vae: VaeConfig
  vaeEncoder: VaeEncoderOutput | undefined
  predictionType: 'epsilon' | 'v_prediction'
  /** SD1 pads prompts with `<|endoftext|>`, SD2 with id 0 (`!`). */
  padWithEndOfText: boolean
}

const TINY_VAE: VaeConfig = {
  blockOutChannels: [32, 32, 64, 64],
  layersPerBlock: 1,
  normGroups: 32,
  latentChannels: 4,
}

interface Habits {
  opset: 14 | 17
  naming: NamingStyle
  attention: UNetAttentionStyle
  layerNorm: LayerNormStyle
  timestep: TimestepInput
  inputIds: 'int32' | 'int64'
}

const SD1: Habits = {
  opset: 14,
  naming: 'module-path',
  attention: 'torch1',
  layerNorm: 'decomposed',
  timestep: 'int64',
  inputIds: 'int32',
}

/** diffusers' own tiny test config: blocks (32, 64), one cross-attention down and up block. */
function tinySpec(
  h: Habits,
  contextDim: number,
  sd2: boolean,
): Omit<VariantSpec, 'unetExternalData' | 'layout' | 'vaeEncoder'> {
  return {
    opset: h.opset,
    naming: h.naming,
    unet: {
      blockOutChannels: [32, 64],
      downBlockTypes: ['DownBlock2D', 'CrossAttnDownBlock2D'],
      upBlockTypes: ['CrossAttnUpBlock2D', 'UpBlock2D'],
      layersPerBlock: 2,
      heads: 4,
      normGroups: 32,
      contextDim,
      latentChannels: 4,
      linearProjection: sd2,
      attention: h.attention,
      layerNorm: h.layerNorm,
      timestep: h.timestep,
    },
    text: {
      vocabSize: 1000,
      hidden: contextDim,
      heads: 4,
      layers: 5,
      intermediate: 37,
      maxLength: 77,
      activation: sd2 ? 'gelu' : 'quick_gelu',
      inputIds: h.inputIds,
      layerNorm: h.layerNorm,
    },
    vae: TINY_VAE,
    predictionType: sd2 ? 'v_prediction' : 'epsilon',
    padWithEndOfText: !sd2,
  }
}

export function variantSpec(variant: TinyVariant): VariantSpec {
  const plain = { layout: 'diffusers', unetExternalData: undefined, vaeEncoder: undefined } as const
  switch (variant) {
    case 'sd1':
      return { ...tinySpec(SD1, 32, false), ...plain, vaeEncoder: 'latent_sample' }
    case 'sd1-torch2':
      return {
        ...tinySpec({ ...SD1, attention: 'sdpa' }, 32, false),
        ...plain,
        unetExternalData: 'model.onnx_data',
      }
    case 'sd1-opset17':
      return { ...tinySpec({ ...SD1, opset: 17, layerNorm: 'fused' }, 32, false), ...plain }
    case 'sd1-float-timestep':
      return {
        ...tinySpec({ ...SD1, timestep: 'float', inputIds: 'int64' }, 32, false),
        ...plain,
        layout: 'optimum',
        vaeEncoder: 'latent_parameters',
      }
    case 'sd1-no-names':
      return {
        ...tinySpec({ ...SD1, naming: 'generic', timestep: 'float-scalar' }, 32, false),
        ...plain,
        unetExternalData: 'weights.pb',
      }
    case 'sd2':
      return { ...tinySpec(SD1, 48, true), ...plain }
    case 'sd1-baddbmm':
      return { ...tinySpec({ ...SD1, attention: 'baddbmm' }, 32, false), ...plain }
    case 'sd15-width':
      return sd15Spec()
  }
}

/** SD 1.5's real U-Net shape with a small 768-wide text encoder and the tiny VAE. */
function sd15Spec(): VariantSpec {
  const base = tinySpec(SD1, 768, false)
  return {
    ...base,
    layout: 'diffusers',
    unetExternalData: 'weights.pb',
    vaeEncoder: undefined,
    unet: {
      ...base.unet,
      blockOutChannels: [320, 640, 1280, 1280],
      downBlockTypes: [
        'CrossAttnDownBlock2D',
        'CrossAttnDownBlock2D',
        'CrossAttnDownBlock2D',
        'DownBlock2D',
      ],
      upBlockTypes: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
      heads: 8,
    },
    text: { ...base.text, heads: 12, layers: 2, intermediate: 3072 },
  }
}
