/**
 * transformers' CLIPTextModel as exported for SD: token + position embeddings, a causal mask
 * built with Trilu, pre-norm encoder layers (quick-GELU for SD1's OpenAI CLIP, erf-GELU for
 * SD2's OpenCLIP), a final LayerNorm, and the pooler that picks the end-of-text position with
 * ArgMax over input_ids (CLIP relies on `<|endoftext|>` having the largest id).
 */
import { TensorProto_DataType } from 'onnx-buf'
import { attr } from '../onnx'
import { geluErf, layerNorm, linear, quickGelu } from './layers-basic'
import type { LayerNormStyle } from './layers-basic'
import { attention } from './layers-attention'
import { at } from './net-context'
import type { NetContext, Scope } from './net-context'

export interface TextEncoderConfig {
  vocabSize: number
  hidden: number
  heads: number
  layers: number
  intermediate: number
  maxLength: number
  activation: 'quick_gelu' | 'gelu'
  inputIds: 'int32' | 'int64'
  layerNorm: LayerNormStyle
}

const CLIP_NAMES = { q: 'q_proj', k: 'k_proj', v: 'v_proj', out: 'out_proj' }
const FLOAT32_MIN = -3.4028234663852886e38

export function buildTextEncoder(ctx: NetContext, cfg: TextEncoderConfig): void {
  const g = ctx.g
  const d = cfg.hidden
  const ids = g.input('input_ids', cfg.inputIds, ['batch', cfg.maxLength])
  const emb: Scope = ['text_model', 'embeddings']

  const tokenTable = ctx.param(
    at(emb, 'token_embedding'),
    'weight',
    [cfg.vocabSize, d],
    ctx.rng.normal(cfg.vocabSize * d, 0.5),
  )
  const positionTable = ctx.param(
    at(emb, 'position_embedding'),
    'weight',
    [cfg.maxLength, d],
    ctx.rng.normal(cfg.maxLength * d, 0.1),
  )
  const positions = ctx.i64(
    Array.from({ length: cfg.maxLength }, (_, i) => i),
    [1, cfg.maxLength],
  )
  const tokens = ctx.op(at(emb, 'token_embedding'), 'Gather', [tokenTable, ids])
  const placed = ctx.op(at(emb, 'position_embedding'), 'Gather', [positionTable, positions])
  let h = ctx.op(emb, 'Add', [tokens, placed])

  const full = g.initializer(new Float32Array(cfg.maxLength * cfg.maxLength).fill(FLOAT32_MIN), [
    cfg.maxLength,
    cfg.maxLength,
  ])
  const mask = ctx.op(['text_model'], 'Trilu', [full, ctx.i64([1], [])], { upper: attr.int(1) })

  for (let i = 0; i < cfg.layers; i++) {
    const layer: Scope = ['text_model', 'encoder', `layers.${i}`]
    const n1 = layerNorm(ctx, at(layer, 'layer_norm1'), h, d, cfg.layerNorm)
    const attn = attention(ctx, at(layer, 'self_attn'), n1, {
      dim: d,
      heads: cfg.heads,
      style: 'clip',
      names: CLIP_NAMES,
      qkvBias: true,
      mask,
    })
    h = ctx.op(layer, 'Add', [h, attn])
    const n2 = layerNorm(ctx, at(layer, 'layer_norm2'), h, d, cfg.layerNorm)
    const mlp = at(layer, 'mlp')
    const up = linear(ctx, at(mlp, 'fc1'), n2, d, cfg.intermediate).output
    const act =
      cfg.activation === 'gelu'
        ? geluErf(ctx, at(mlp, 'activation_fn'), up)
        : quickGelu(ctx, at(mlp, 'activation_fn'), up)
    const down = linear(ctx, at(mlp, 'fc2'), act, cfg.intermediate, d, { gain: 0.5 }).output
    h = ctx.op(layer, 'Add', [h, down])
  }

  const last = layerNorm(ctx, ['text_model', 'final_layer_norm'], h, d, cfg.layerNorm, {
    output: 'last_hidden_state',
  })
  g.output('last_hidden_state', 'float32', ['batch', cfg.maxLength, d])

  // pooled = last[arange(B), argmax(input_ids)], exported as a flat Gather.
  const root: Scope = ['text_model']
  const ids32 =
    cfg.inputIds === 'int64'
      ? ctx.op(root, 'Cast', [ids], { to: attr.int(TensorProto_DataType.INT32) })
      : ids
  const eos = ctx.op(root, 'ArgMax', [ids32], { axis: attr.int(-1), keepdims: attr.int(0) })
  const batch = ctx.op(root, 'Gather', [ctx.op(root, 'Shape', [ids]), ctx.i64([0], [])], {
    axis: attr.int(0),
  })
  const rows = ctx.op(root, 'Range', [ctx.i64([0], []), batch, ctx.i64([1], [])])
  const flatIndex = ctx.op(root, 'Add', [
    ctx.op(root, 'Mul', [rows, ctx.i64([cfg.maxLength], [])]),
    eos,
  ])
  const flat = ctx.op(root, 'Reshape', [last, ctx.i64([-1, d])])
  ctx.op(root, 'Gather', [flat, flatIndex], { axis: attr.int(0) }, 'pooler_output')
  g.output('pooler_output', 'float32', ['batch', d])
}
