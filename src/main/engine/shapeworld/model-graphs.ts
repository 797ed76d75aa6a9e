/**
 * The ShapeWorld model's ONNX graphs, emitted by the tiny pipeline builders with a parameter
 * hook (tiny/net-context.ts) instead of their seeded weights:
 * - `initialParams`: every parameter of the text encoder and the U-Net, keyed by its state-dict
 *   path, as the seeded builders draw them for a run seed (the starting point of training);
 * - `buildTrainingGraph`: ONE graph in which the text encoder's `last_hidden_state` is the
 *   U-Net's `encoder_hidden_states` and every parameter is a graph input, so the autodiff gives
 *   the gradient of the denoising loss for both networks at once (joint training);
 * - `buildTextEncoderModel` / `buildUNetModel`: the two exported graphs with trained weights,
 *   op for op what the tiny `sd1-opset17` variant emits.
 */
import type { ModelProto } from 'onnx-buf'
import { GraphBuilder } from '../onnx'
import type { TinyKvProjection } from '../tiny/layers-attention'
import { NetContext } from '../tiny/net-context'
import type { ParamHook } from '../tiny/net-context'
import { SeededWeights } from '../tiny/seeded-weights'
import { buildTextEncoder } from '../tiny/text-encoder-graph'
import { buildUNet } from '../tiny/unet-graph'
import { SHAPEWORLD_OPSET, textEncoderConfig, unetConfig } from './model-config'
import type { ShapeWorldModelConfig } from './model-config'
import { STREAM, mixSeed } from './seeds'

export interface ParamTensor {
  readonly dims: readonly number[]
  readonly values: Float32Array
}

/** Parameters by state-dict key (MatMul weights in ONNX [in, out] layout), in graph order. */
export type ParamSet = Map<string, ParamTensor>

/** A NetContext for the ShapeWorld graphs: the builders' naming, fed through `hook`. */
export function shapeWorldContext(seed: number, hook: ParamHook): NetContext {
  const g = new GraphBuilder({
    opset: SHAPEWORLD_OPSET,
    producerName: 'realera-shapeworld',
    producerVersion: '1',
  })
  return new NetContext(g, new SeededWeights(seed), 'module-path', hook)
}

/** The seeded starting weights for run seed `seed` (text encoder first, then the U-Net). */
export function initialParams(
  config: ShapeWorldModelConfig,
  vocabSize: number,
  seed: number,
): ParamSet {
  const params: ParamSet = new Map()
  const record: ParamHook = ({ key, dims, seeded }) => {
    if (params.has(key)) throw new Error(`two parameters share the key ${key}`)
    params.set(key, { dims: [...dims], values: seeded })
    return seeded
  }
  buildTextEncoder(
    shapeWorldContext(mixSeed(seed, STREAM.textEncoderInit), record),
    textEncoderConfig(config, vocabSize),
  )
  buildUNet(shapeWorldContext(mixSeed(seed, STREAM.unetInit), record), unetConfig(config))
  return params
}

export interface TrainingGraph {
  readonly model: ModelProto
  /** The graph input that carries each parameter, by key. */
  readonly inputs: ReadonlyMap<string, string>
  /** The loss reads this output: the U-Net's v prediction [B, C, h, w]. */
  readonly output: 'out_sample'
}

/**
 * input_ids [B, L] (int32), sample [B, C, h, w], timestep [B] (int64) and every parameter →
 * out_sample. The batch is symbolic here; the gradient model fixes it from the probe.
 */
export function buildTrainingGraph(
  config: ShapeWorldModelConfig,
  vocabSize: number,
): TrainingGraph {
  const inputs = new Map<string, string>()
  const ctx = shapeWorldContext(0, ({ key, value }) => {
    inputs.set(key, value)
    return 'input'
  })
  buildTextEncoder(ctx, textEncoderConfig(config, vocabSize))
  buildUNet(ctx, unetConfig(config), { context: 'last_hidden_state' })
  return { model: ctx.g.build(), inputs, output: 'out_sample' }
}

function fromParams(params: ParamSet): ParamHook {
  return ({ key, dims }) => {
    const p = params.get(key)
    if (p === undefined) throw new Error(`no trained value for parameter ${key}`)
    if (p.dims.length !== dims.length || p.dims.some((d, i) => d !== dims[i])) {
      throw new Error(
        `parameter ${key} is [${p.dims.join(', ')}], the graph wants [${dims.join(', ')}]`,
      )
    }
    // A copy: the graph takes over the array's memory, and training goes on updating params.
    return Float32Array.from(p.values)
  }
}

export function buildTextEncoderModel(
  config: ShapeWorldModelConfig,
  vocabSize: number,
  params: ParamSet,
): ModelProto {
  const ctx = shapeWorldContext(0, fromParams(params))
  buildTextEncoder(ctx, textEncoderConfig(config, vocabSize))
  return ctx.g.build()
}

export function buildUNetModel(
  config: ShapeWorldModelConfig,
  params: ParamSet,
): { model: ModelProto; crossAttention: TinyKvProjection[] } {
  const ctx = shapeWorldContext(0, fromParams(params))
  const crossAttention = buildUNet(ctx, unetConfig(config))
  return { model: ctx.g.build(), crossAttention }
}

export function parameterCount(params: ParamSet): number {
  let n = 0
  for (const p of params.values()) n += p.values.length
  return n
}
