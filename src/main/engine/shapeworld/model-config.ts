/**
 * The ShapeWorld text-to-image model's shape: a Stable Diffusion pipeline in miniature (CLIP
 * text encoder, cross-attention U-Net, VAE decoder, SD's scheduler), sized to train on two CPU
 * cores. The graph builders are the tiny pipeline generator's (src/main/engine/tiny), so the
 * exported ONNX files have SD's op patterns and module paths; see README.md for the choices.
 */
import type { TextEncoderConfig } from '../tiny/text-encoder-graph'
import type { UNetConfig } from '../tiny/unet-graph'

export interface ShapeWorldModelConfig {
  /** Image side in pixels; latents are side/8 (the studio's VAE factor). */
  readonly imageSize: 64
  /** Latent channels: the number of PCA components kept per 8×8×3 pixel patch. */
  readonly latentChannels: number
  /** Images rendered (from a fixed seed) to fit the PCA of the VAE. */
  readonly vaeFitImages: number
  readonly text: {
    readonly hidden: number
    readonly heads: number
    readonly layers: number
    readonly intermediate: number
    /** Token window (BOS + prompt + EOS + padding), written as model_max_length. */
    readonly maxLength: number
  }
  readonly unet: {
    readonly blockOutChannels: readonly [number, number]
    readonly layersPerBlock: number
    readonly heads: number
    readonly normGroups: number
  }
}

/** The model the studio ships (resources/): ~1.3 M parameters, about 5 MB of float32. */
export const SHAPEWORLD_MODEL: ShapeWorldModelConfig = {
  imageSize: 64,
  latentChannels: 32,
  vaeFitImages: 1000,
  text: { hidden: 64, heads: 4, layers: 3, intermediate: 256, maxLength: 16 },
  unet: { blockOutChannels: [32, 64], layersPerBlock: 1, heads: 4, normGroups: 16 },
}

/** A ~126 k-parameter model for tests: the same graph structure, seconds to train. */
export const SHAPEWORLD_TINY_MODEL: ShapeWorldModelConfig = {
  imageSize: 64,
  latentChannels: 8,
  vaeFitImages: 24,
  text: { hidden: 16, heads: 2, layers: 1, intermediate: 32, maxLength: 16 },
  unet: { blockOutChannels: [16, 16], layersPerBlock: 1, heads: 2, normGroups: 4 },
}

/** Opset 17: LayerNormalization as one op (fewer nodes to differentiate than the decomposed form). */
export const SHAPEWORLD_OPSET = 17

export function latentSide(config: ShapeWorldModelConfig): number {
  return config.imageSize / 8
}

export function textEncoderConfig(
  config: ShapeWorldModelConfig,
  vocabSize: number,
): TextEncoderConfig {
  const t = config.text
  return {
    vocabSize,
    hidden: t.hidden,
    heads: t.heads,
    layers: t.layers,
    intermediate: t.intermediate,
    maxLength: t.maxLength,
    activation: 'quick_gelu',
    inputIds: 'int32',
    layerNorm: 'fused',
  }
}

/** Two resolution levels (8×8 and 4×4), cross-attention in every block, as in SD 1.x. */
export function unetConfig(config: ShapeWorldModelConfig): UNetConfig {
  const u = config.unet
  return {
    blockOutChannels: [...u.blockOutChannels],
    downBlockTypes: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D'],
    upBlockTypes: ['CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
    layersPerBlock: u.layersPerBlock,
    heads: u.heads,
    normGroups: u.normGroups,
    contextDim: config.text.hidden,
    latentChannels: config.latentChannels,
    linearProjection: false,
    attention: 'torch1',
    layerNorm: 'fused',
    timestep: 'int64',
  }
}

/** Throws naming the first setting the graph builders cannot take. */
export function validateModelConfig(config: ShapeWorldModelConfig): void {
  const problems: string[] = []
  const { text, unet } = config
  if (text.hidden % text.heads !== 0) problems.push('text.hidden must be a multiple of text.heads')
  for (const c of unet.blockOutChannels) {
    if (c % unet.normGroups !== 0) problems.push(`U-Net width ${c} is not a multiple of normGroups`)
    if (c % unet.heads !== 0) problems.push(`U-Net width ${c} is not a multiple of heads`)
  }
  if (config.latentChannels < 1 || config.latentChannels > 192)
    problems.push('latentChannels must be 1..192 (an 8×8×3 patch has 192 values)')
  if (text.maxLength < 3 || text.maxLength > 77) problems.push('text.maxLength must be 3..77')
  if (problems.length > 0) throw new RangeError(`ShapeWorld model config: ${problems.join('; ')}`)
}
