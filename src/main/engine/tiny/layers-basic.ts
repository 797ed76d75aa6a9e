/**
 * Basic layers as torch.onnx exports them (opset 14 unless noted): Linear = MatMul + Add,
 * Conv, GroupNorm = Reshape → InstanceNormalization → Reshape → Mul → Add, SiLU = Sigmoid·Mul,
 * LayerNorm decomposed (or LayerNormalization at opset 17), erf-GELU and CLIP's quick-GELU.
 */
import { attr } from '../onnx'
import { at } from './net-context'
import type { NetContext, Scope } from './net-context'

/** Small random bias / norm shift: non-zero so every parameter depends on the seed. */
const BIAS_STD = 0.02

export interface LinearResult {
  output: string
  /** The MatMul node's name and its weight initializer (what K/V discovery looks for). */
  matmulNode: string
  weight: string
}

/** torch Linear on [..., in]: MatMul(x, Wᵀ) then Add(bias, ·), as torch.onnx emits it. */
export function linear(
  ctx: NetContext,
  scope: Scope,
  x: string,
  inFeatures: number,
  outFeatures: number,
  options: { bias?: boolean; gain?: number } = {},
): LinearResult {
  const weight = ctx.matmulWeight(inFeatures, outFeatures, options.gain, scope)
  const mm = ctx.emit(scope, 'MatMul', [x, weight])
  const product = mm.outputs[0] ?? ''
  if (options.bias === false) return { output: product, matmulNode: mm.node, weight }
  const bias = ctx.param(scope, 'bias', [outFeatures], ctx.rng.normal(outFeatures, BIAS_STD))
  return { output: ctx.op(scope, 'Add', [bias, product]), matmulNode: mm.node, weight }
}

/** Linear on a 2-D input, which torch exports as Gemm with the weight kept as [out, in]. */
export function gemm(ctx: NetContext, scope: Scope, x: string, inF: number, outF: number): string {
  const w = ctx.param(scope, 'weight', [outF, inF], ctx.rng.fanIn(inF * outF, inF))
  const b = ctx.param(scope, 'bias', [outF], ctx.rng.normal(outF, BIAS_STD))
  return ctx.op(scope, 'Gemm', [x, w, b], {
    alpha: attr.float(1),
    beta: attr.float(1),
    transB: attr.int(1),
  })
}

export interface ConvOptions {
  kernel?: number
  stride?: number
  /** Symmetric padding; default keeps the size for stride 1. */
  pad?: number
  gain?: number
  output?: string
}

export function conv2d(
  ctx: NetContext,
  scope: Scope,
  x: string,
  cin: number,
  cout: number,
  options: ConvOptions = {},
): string {
  const k = options.kernel ?? 3
  const s = options.stride ?? 1
  const p = options.pad ?? (k - 1) / 2
  const w = ctx.param(
    scope,
    'weight',
    [cout, cin, k, k],
    ctx.rng.fanIn(cout * cin * k * k, cin * k * k, options.gain),
  )
  const b = ctx.param(scope, 'bias', [cout], ctx.rng.normal(cout, BIAS_STD))
  const attrs = {
    dilations: attr.ints([1, 1]),
    group: attr.int(1),
    kernel_shape: attr.ints([k, k]),
    pads: attr.ints([p, p, p, p]),
    strides: attr.ints([s, s]),
  }
  return ctx.op(scope, 'Conv', [x, w, b], attrs, options.output)
}

/** GroupNorm the way every SD export spells it (InstanceNormalization over reshaped groups). */
export function groupNorm(
  ctx: NetContext,
  scope: Scope,
  x: string,
  channels: number,
  groups: number,
  eps: number,
): string {
  if (channels % groups !== 0)
    throw new Error(`GroupNorm: ${channels} channels in ${groups} groups`)
  const grouped = ctx.op(scope, 'Reshape', [x, ctx.i64([0, groups, -1])])
  const ones = ctx.f32(new Array<number>(groups).fill(1), [groups])
  const zeros = ctx.f32(new Array<number>(groups).fill(0), [groups])
  const normed = ctx.op(scope, 'InstanceNormalization', [grouped, ones, zeros], {
    epsilon: attr.float(eps),
  })
  const shape = ctx.op(scope, 'Shape', [x])
  const back = ctx.op(scope, 'Reshape', [normed, shape])
  const gamma = ctx.param(scope, 'weight', [channels, 1, 1], ctx.rng.normal(channels, 0.05, 1))
  const beta = ctx.param(scope, 'bias', [channels, 1, 1], ctx.rng.normal(channels, BIAS_STD))
  return ctx.op(scope, 'Add', [ctx.op(scope, 'Mul', [back, gamma]), beta])
}

export function silu(ctx: NetContext, scope: Scope, x: string): string {
  return ctx.op(scope, 'Mul', [x, ctx.op(scope, 'Sigmoid', [x])])
}

export type LayerNormStyle = 'decomposed' | 'fused'

/** LayerNorm over the last axis: decomposed (opset < 17 exports) or LayerNormalization. */
export function layerNorm(
  ctx: NetContext,
  scope: Scope,
  x: string,
  dim: number,
  style: LayerNormStyle,
  options: { eps?: number; output?: string } = {},
): string {
  const eps = options.eps ?? 1e-5
  const gamma = ctx.param(scope, 'weight', [dim], ctx.rng.normal(dim, 0.05, 1))
  const beta = ctx.param(scope, 'bias', [dim], ctx.rng.normal(dim, BIAS_STD))
  if (style === 'fused') {
    return ctx.op(
      scope,
      'LayerNormalization',
      [x, gamma, beta],
      { axis: attr.int(-1), epsilon: attr.float(eps) },
      options.output,
    )
  }
  const reduce = { axes: attr.ints([-1]), keepdims: attr.int(1) }
  const mean = ctx.op(scope, 'ReduceMean', [x], reduce)
  const centered = ctx.op(scope, 'Sub', [x, mean])
  const squared = ctx.op(scope, 'Pow', [centered, ctx.f32([2])])
  const variance = ctx.op(scope, 'ReduceMean', [squared], reduce)
  const std = ctx.op(scope, 'Sqrt', [ctx.op(scope, 'Add', [variance, ctx.f32([eps])])])
  const normed = ctx.op(scope, 'Div', [centered, std])
  return ctx.op(scope, 'Add', [ctx.op(scope, 'Mul', [normed, gamma]), beta], {}, options.output)
}

/** GELU with erf: x · 0.5 · (1 + erf(x / √2)), as nn.GELU() exports. */
export function geluErf(ctx: NetContext, scope: Scope, x: string): string {
  const erf = ctx.op(scope, 'Erf', [ctx.op(scope, 'Div', [x, ctx.f32([Math.SQRT2])])])
  const onePlus = ctx.op(scope, 'Add', [erf, ctx.f32([1])])
  return ctx.op(scope, 'Mul', [ctx.op(scope, 'Mul', [x, onePlus]), ctx.f32([0.5])])
}

/** CLIP's quick-GELU: x · sigmoid(1.702 x). */
export function quickGelu(ctx: NetContext, scope: Scope, x: string): string {
  const scaled = ctx.op(scope, 'Mul', [x, ctx.f32([1.702])])
  return ctx.op(scope, 'Mul', [x, ctx.op(scope, 'Sigmoid', [scaled])])
}

/** Nearest ×2 upsampling: Resize (asymmetric, floor), then a 3×3 conv (diffusers Upsample2D). */
export function upsample2x(ctx: NetContext, scope: Scope, x: string, channels: number): string {
  const scales = ctx.f32([1, 1, 2, 2], [4])
  const up = ctx.op(scope, 'Resize', [x, '', scales], {
    coordinate_transformation_mode: attr.string('asymmetric'),
    cubic_coeff_a: attr.float(-0.75),
    mode: attr.string('nearest'),
    nearest_mode: attr.string('floor'),
  })
  return conv2d(ctx, at(scope, 'conv'), up, channels, channels)
}
