/**
 * Attention and transformer blocks in the shapes SD exports take:
 * - 'torch1': MatMul(Q, Kᵀ) → Mul(scale) → Softmax → MatMul(V)
 * - 'sdpa':   torch 2's scaled_dot_product_attention: Q and Kᵀ each × √scale, then MatMul
 * - 'clip':   CLIP scales Q right after q_proj, and adds the causal mask before Softmax
 * - 'baddbmm': diffusers ≤ 0.21, heads folded into the batch and scores from baddbmm(beta=0),
 *   with its ConstantOfShape(0) → Mul(0) → Add (see layers-baddbmm.ts)
 * Cross-attention K/V read `encoder_hidden_states` directly: MatMul(ehs, [ctx, C] initializer).
 */
import { attr } from '../onnx'
import { baddbmmAttention } from './layers-baddbmm'
import { conv2d, geluErf, groupNorm, layerNorm, linear } from './layers-basic'
import type { LayerNormStyle } from './layers-basic'
import { at, dotted } from './net-context'
import type { NetContext, Scope } from './net-context'

export type AttentionStyle = 'torch1' | 'sdpa' | 'clip' | 'baddbmm'

/** The styles a U-Net's attention can take (CLIP's is the text encoder's own). */
export type UNetAttentionStyle = 'torch1' | 'sdpa' | 'baddbmm'

/** One K or V projection of a cross-attention layer, as the generator emitted it. */
export interface TinyKvProjection {
  /** diffusers module path, e.g. `mid_block.attentions.0.transformer_blocks.0.attn2.to_k` */
  modulePath: string
  /** the diffusers module name, also the last segment of `modulePath` */
  kind: 'to_k' | 'to_v'
  /** the MatMul node's name (generic `MatMul_123` in the no-names variant) */
  nodeName: string
  /** the auto-generated initializer name (`onnx::MatMul_1234`) */
  initializer: string
  /** [contextDim, channels]: the B of MatMul(encoder_hidden_states, B) */
  shape: [number, number]
}

export interface AttentionOptions {
  dim: number
  heads: number
  style: AttentionStyle
  /** Cross-attention: the value keys and values read, and its width. */
  context?: { value: string; dim: number }
  /** Projection module names, diffusers' by default (CLIP: q_proj, k_proj, v_proj, out_proj). */
  names?: { q: string; k: string; v: string; out: string }
  qkvBias?: boolean
  /** Added to the scores before Softmax (CLIP's causal mask). */
  mask?: string
  /** Receives the K and V projections of cross-attention layers. */
  onKv?: (p: TinyKvProjection) => void
}

const DIFFUSERS_NAMES = { q: 'to_q', k: 'to_k', v: 'to_v', out: 'to_out.0' }

/** Multi-head attention on [B, N, dim]; returns [B, N, dim]. */
export function attention(ctx: NetContext, scope: Scope, x: string, o: AttentionOptions): string {
  const names = o.names ?? DIFFUSERS_NAMES
  const bias = o.qkvBias ?? false
  const source = o.context?.value ?? x
  const sourceDim = o.context?.dim ?? o.dim
  const headDim = o.dim / o.heads
  const scale = 1 / Math.sqrt(headDim)

  const q = linear(ctx, at(scope, names.q), x, o.dim, o.dim, { bias })
  const k = linear(ctx, at(scope, names.k), source, sourceDim, o.dim, { bias })
  const v = linear(ctx, at(scope, names.v), source, sourceDim, o.dim, { bias })
  if (o.context !== undefined && o.onKv !== undefined) {
    for (const [kind, proj] of [
      ['to_k', k],
      ['to_v', v],
    ] as const) {
      o.onKv({
        modulePath: dotted(at(scope, kind === 'to_k' ? names.k : names.v)),
        kind,
        nodeName: proj.matmulNode,
        initializer: proj.weight,
        shape: [sourceDim, o.dim],
      })
    }
  }

  const out = (merged: string): string =>
    linear(ctx, at(scope, names.out), merged, o.dim, o.dim, { gain: 0.5 }).output
  if (o.style === 'baddbmm') {
    const qkv = { q: q.output, k: k.output, v: v.output }
    return out(baddbmmAttention(ctx, scope, qkv, o.dim, o.heads))
  }

  const split = (t: string, perm: number[]): string =>
    ctx.op(
      scope,
      'Transpose',
      [ctx.op(scope, 'Reshape', [t, ctx.i64([0, -1, o.heads, headDim])])],
      {
        perm: attr.ints(perm),
      },
    )
  const query = o.style === 'clip' ? ctx.op(scope, 'Mul', [q.output, ctx.f32([scale])]) : q.output
  let qh = split(query, [0, 2, 1, 3])
  let kT = split(k.output, [0, 2, 3, 1])
  const vh = split(v.output, [0, 2, 1, 3])
  if (o.style === 'sdpa') {
    const root = ctx.f32([Math.sqrt(scale)])
    qh = ctx.op(scope, 'Mul', [qh, root])
    kT = ctx.op(scope, 'Mul', [kT, root])
  }
  let scores = ctx.op(scope, 'MatMul', [qh, kT])
  if (o.style === 'torch1') scores = ctx.op(scope, 'Mul', [scores, ctx.f32([scale])])
  if (o.mask !== undefined) scores = ctx.op(scope, 'Add', [scores, o.mask])
  const probs = ctx.op(scope, 'Softmax', [scores], { axis: attr.int(-1) })
  const heads = ctx.op(scope, 'MatMul', [probs, vh])
  const merged = ctx.op(scope, 'Reshape', [
    ctx.op(scope, 'Transpose', [heads], { perm: attr.ints([0, 2, 1, 3]) }),
    ctx.i64([0, -1, o.dim]),
  ])
  return out(merged)
}

/** diffusers FeedForward with GEGLU: proj to 2×inner, two Slices, hidden · GELU(gate), back. */
export function gegluFeedForward(ctx: NetContext, scope: Scope, x: string, dim: number): string {
  const inner = dim * 4
  const geglu = at(scope, 'net.0')
  const h = linear(ctx, at(geglu, 'proj'), x, dim, inner * 2).output
  const axis = ctx.i64([-1])
  const hidden = ctx.op(geglu, 'Slice', [h, ctx.i64([0]), ctx.i64([inner]), axis])
  const gate = ctx.op(geglu, 'Slice', [h, ctx.i64([inner]), ctx.i64([inner * 2]), axis])
  const gated = ctx.op(geglu, 'Mul', [hidden, geluErf(ctx, geglu, gate)])
  return linear(ctx, at(scope, 'net.2'), gated, inner, dim, { gain: 0.5 }).output
}

export interface TransformerOptions {
  channels: number
  heads: number
  groups: number
  context: { value: string; dim: number }
  attention: UNetAttentionStyle
  layerNorm: LayerNormStyle
  /** SD2: proj_in/proj_out are Linear on [B, HW, C] instead of 1×1 Conv. */
  linearProjection: boolean
  onKv: (p: TinyKvProjection) => void
}

/** diffusers BasicTransformerBlock: self-attention, cross-attention, GEGLU, each pre-normed. */
function basicTransformerBlock(
  ctx: NetContext,
  scope: Scope,
  x: string,
  o: TransformerOptions,
): string {
  const base = { dim: o.channels, heads: o.heads, style: o.attention }
  const n1 = layerNorm(ctx, at(scope, 'norm1'), x, o.channels, o.layerNorm)
  let h = ctx.op(scope, 'Add', [attention(ctx, at(scope, 'attn1'), n1, base), x])
  const n2 = layerNorm(ctx, at(scope, 'norm2'), h, o.channels, o.layerNorm)
  const cross = attention(ctx, at(scope, 'attn2'), n2, {
    ...base,
    context: o.context,
    onKv: o.onKv,
  })
  h = ctx.op(scope, 'Add', [cross, h])
  const n3 = layerNorm(ctx, at(scope, 'norm3'), h, o.channels, o.layerNorm)
  return ctx.op(scope, 'Add', [gegluFeedForward(ctx, at(scope, 'ff'), n3, o.channels), h])
}

/** diffusers Transformer2DModel (one block): GroupNorm, proj_in, block, proj_out, residual. */
export function transformer2d(
  ctx: NetContext,
  scope: Scope,
  x: string,
  o: TransformerOptions,
): string {
  const c = o.channels
  const conv1x1 = (name: string, input: string): string =>
    conv2d(ctx, at(scope, name), input, c, c, { kernel: 1, pad: 0 })
  const toTokens = (t: string): string =>
    ctx.op(scope, 'Reshape', [
      ctx.op(scope, 'Transpose', [t], { perm: attr.ints([0, 2, 3, 1]) }),
      ctx.i64([0, -1, c]),
    ])

  let h = groupNorm(ctx, at(scope, 'norm'), x, c, o.groups, 1e-6)
  h = o.linearProjection
    ? linear(ctx, at(scope, 'proj_in'), toTokens(h), c, c).output
    : toTokens(conv1x1('proj_in', h))
  h = basicTransformerBlock(ctx, at(scope, 'transformer_blocks.0'), h, o)
  if (o.linearProjection) h = linear(ctx, at(scope, 'proj_out'), h, c, c, { gain: 0.5 }).output
  const shape = ctx.op(scope, 'Shape', [x])
  h = ctx.op(scope, 'Reshape', [
    ctx.op(scope, 'Transpose', [h], { perm: attr.ints([0, 2, 1]) }),
    shape,
  ])
  if (!o.linearProjection) h = conv1x1('proj_out', h)
  return ctx.op(scope, 'Add', [h, x])
}
