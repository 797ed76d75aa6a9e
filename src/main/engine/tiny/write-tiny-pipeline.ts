/**
 * Generates a complete, runnable Stable Diffusion folder in the diffusers ONNX layout from a
 * variant and a seed: tests and benchmarks get real ONNX Runtime sessions with the op patterns
 * of real exports, without downloading gigabytes or shipping binary fixtures.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { ModelProto } from 'onnx-buf'
import { GraphBuilder, writeModel } from '../onnx'
import type { TinyKvProjection, UNetAttentionStyle } from './layers-attention'
import { NetContext } from './net-context'
import {
  writeModelIndex,
  writeSchedulerConfig,
  writeTokenizer,
  writeUNetConfig,
} from './pipeline-files'
import type { TokenizerFacts } from './pipeline-files'
import { SeededWeights } from './seeded-weights'
import { buildTextEncoder } from './text-encoder-graph'
import { buildUNet } from './unet-graph'
import type { TimestepInput } from './unet-graph'
import { variantSpec } from './variants'
import type { ExternalDataFile, TinyVariant, VariantSpec } from './variants'
import { buildVaeDecoder, buildVaeEncoder } from './vae-graph'
import type { VaeEncoderOutput } from './vae-graph'

export interface TinyPipelineOptions {
  variant: TinyVariant
  /** Same seed and variant → byte-identical files. */
  seed: number
  /** Overrides the variant's U-Net attention style (benchmarks: SD1.5 widths with baddbmm). */
  attention?: UNetAttentionStyle
}

/** What a test needs to know about the generated folder without re-deriving it from the files. */
export interface TinyPipelineFacts {
  variant: TinyVariant
  seed: number
  /** Width of encoder_hidden_states (the text encoder's hidden size). */
  contextDim: number
  latentChannels: number
  /** Image pixels per latent pixel along each side. */
  vaeScaleFactor: number
  /** Every cross-attention K and V projection, in graph order (k before v per layer). */
  crossAttention: TinyKvProjection[]
  unet: {
    timestep: TimestepInput
    blockOutChannels: number[]
    opset: number
    attention: UNetAttentionStyle
    /** Side file holding the U-Net weights, if any. */
    externalData: ExternalDataFile | undefined
    namedNodes: boolean
  }
  textEncoder: { inputIds: 'int32' | 'int64'; hiddenSize: number; maxLength: number }
  tokenizer: TokenizerFacts
  vaeEncoder: VaeEncoderOutput | undefined
  predictionType: 'epsilon' | 'v_prediction'
  /** Paths written, relative to the folder. */
  files: string[]
}

export async function writeTinyPipeline(
  dir: string,
  options: TinyPipelineOptions,
): Promise<TinyPipelineFacts> {
  if (!Number.isSafeInteger(options.seed))
    throw new Error(`seed must be an integer, got ${options.seed}`)
  const base = variantSpec(options.variant)
  const spec: VariantSpec =
    options.attention === undefined
      ? base
      : { ...base, unet: { ...base.unet, attention: options.attention } }
  await mkdir(dir, { recursive: true })
  const files: string[] = ['model_index.json', 'scheduler/scheduler_config.json']
  // One weight stream per component, so changing one graph never shifts another's weights.
  const component = (index: number): NetContext =>
    new NetContext(
      new GraphBuilder({ opset: spec.opset, producerName: 'realera-tiny', producerVersion: '1' }),
      new SeededWeights(mixSeed(options.seed, index)),
      spec.naming,
    )
  const save = async (
    name: string,
    model: ModelProto,
    external?: ExternalDataFile,
  ): Promise<void> => {
    await mkdir(join(dir, name), { recursive: true })
    await writeModel(
      model,
      join(dir, name, 'model.onnx'),
      external === undefined ? {} : { externalData: { fileName: external, minBytes: 1024 } },
    )
    files.push(`${name}/model.onnx`, ...(external === undefined ? [] : [`${name}/${external}`]))
  }

  await writeModelIndex(dir, spec)
  await writeSchedulerConfig(dir, spec)
  const tokenizer = await writeTokenizer(dir, spec)
  files.push(
    ...['vocab.json', 'merges.txt', 'tokenizer_config.json', 'special_tokens_map.json'].map(
      (f) => `tokenizer/${f}`,
    ),
  )

  const text = component(1)
  buildTextEncoder(text, spec.text)
  await save('text_encoder', text.g.build())

  // Built inside a block so the (possibly multi-GB) U-Net can be collected before the VAE.
  let crossAttention: TinyKvProjection[]
  {
    const unet = component(2)
    crossAttention = buildUNet(unet, spec.unet)
    await save('unet', unet.g.build(), spec.unetExternalData)
  }
  if (spec.layout === 'optimum' || spec.naming === 'generic' || spec.unet.linearProjection) {
    await writeUNetConfig(dir, spec)
    files.push('unet/config.json')
  }

  const decoder = component(3)
  buildVaeDecoder(decoder, spec.vae)
  await save('vae_decoder', decoder.g.build())
  if (spec.vaeEncoder !== undefined) {
    const encoder = component(4)
    buildVaeEncoder(encoder, spec.vae, spec.vaeEncoder)
    await save('vae_encoder', encoder.g.build())
  }
  return facts(options, spec, crossAttention, tokenizer, files)
}

function facts(
  options: TinyPipelineOptions,
  spec: VariantSpec,
  crossAttention: TinyKvProjection[],
  tokenizer: TokenizerFacts,
  files: string[],
): TinyPipelineFacts {
  return {
    variant: options.variant,
    seed: options.seed,
    contextDim: spec.unet.contextDim,
    latentChannels: spec.unet.latentChannels,
    vaeScaleFactor: 2 ** (spec.vae.blockOutChannels.length - 1),
    crossAttention,
    unet: {
      timestep: spec.unet.timestep,
      blockOutChannels: [...spec.unet.blockOutChannels],
      opset: spec.opset,
      attention: spec.unet.attention,
      externalData: spec.unetExternalData,
      namedNodes: spec.naming === 'module-path',
    },
    textEncoder: {
      inputIds: spec.text.inputIds,
      hiddenSize: spec.text.hidden,
      maxLength: spec.text.maxLength,
    },
    tokenizer,
    vaeEncoder: spec.vaeEncoder,
    predictionType: spec.predictionType,
    files: files.sort(),
  }
}

/** Derives a component's seed from the pipeline seed (splitmix-style integer hash). */
function mixSeed(seed: number, index: number): number {
  let x = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(index, 0x85ebca6b)) >>> 0
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0
  return (x ^ (x >>> 16)) >>> 0
}
