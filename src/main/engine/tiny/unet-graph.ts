/**
 * diffusers UNet2DConditionModel, emitted op by op. Module paths (down_blocks.1.attentions.0,
 * mid_block.attentions.0, up_blocks.0.attentions.2, …) match diffusers for the same config, so
 * a path in a test means the same layer it means in a real checkpoint.
 */
import { TensorProto_DataType } from 'onnx-buf'
import { attr } from '../onnx'
import { conv2d, gemm, groupNorm, silu, upsample2x } from './layers-basic'
import type { LayerNormStyle } from './layers-basic'
import { transformer2d } from './layers-attention'
import type { TinyKvProjection, TransformerOptions, UNetAttentionStyle } from './layers-attention'
import { at } from './net-context'
import type { NetContext, Scope } from './net-context'

export type DownBlockType = 'DownBlock2D' | 'CrossAttnDownBlock2D'
export type UpBlockType = 'UpBlock2D' | 'CrossAttnUpBlock2D'

/** How the exporter typed `timestep`: int64 [B], float [B], or a float scalar. */
export type TimestepInput = 'int64' | 'float' | 'float-scalar'

export interface UNetConfig {
  blockOutChannels: readonly number[]
  downBlockTypes: readonly DownBlockType[]
  upBlockTypes: readonly UpBlockType[]
  layersPerBlock: number
  /** attention heads in every transformer (SD1.x: 8) */
  heads: number
  normGroups: number
  contextDim: number
  latentChannels: number
  linearProjection: boolean
  attention: UNetAttentionStyle
  layerNorm: LayerNormStyle
  timestep: TimestepInput
}

const RESNET_EPS = 1e-5

/**
 * Builds the graph on `ctx.g`; returns the cross-attention K/V projections in graph order.
 * `context` names a value already on the graph to read instead of the `encoder_hidden_states`
 * input (a text encoder built on the same graph, for joint training).
 */
export function buildUNet(
  ctx: NetContext,
  cfg: UNetConfig,
  options: { context?: string } = {},
): TinyKvProjection[] {
  const kv: TinyKvProjection[] = []
  const g = ctx.g
  const sample = g.input('sample', 'float32', ['batch', cfg.latentChannels, 'height', 'width'])
  const timestep =
    cfg.timestep === 'int64'
      ? g.input('timestep', 'int64', ['batch'])
      : g.input('timestep', 'float32', cfg.timestep === 'float' ? ['batch'] : [])
  const context =
    options.context ??
    g.input('encoder_hidden_states', 'float32', ['batch', 'sequence', cfg.contextDim])
  const ch0 = cfg.blockOutChannels[0] ?? 0
  const tembDim = ch0 * 4

  const temb = timeEmbedding(ctx, sample, timestep, cfg.timestep === 'int64', ch0, tembDim)
  const transformer = (c: number): TransformerOptions => ({
    channels: c,
    heads: cfg.heads,
    groups: cfg.normGroups,
    context: { value: context, dim: cfg.contextDim },
    attention: cfg.attention,
    layerNorm: cfg.layerNorm,
    linearProjection: cfg.linearProjection,
    onKv: (p) => kv.push(p),
  })
  const resnet = (scope: Scope, x: string, cin: number, cout: number): string =>
    resnetBlock(ctx, scope, x, { cin, cout, temb, tembDim, groups: cfg.normGroups })

  let h = conv2d(ctx, ['conv_in'], sample, cfg.latentChannels, ch0)
  let channels = ch0
  const skips: { value: string; channels: number }[] = [{ value: h, channels }]

  cfg.downBlockTypes.forEach((type, i) => {
    const block: Scope = [`down_blocks.${i}`]
    const out = cfg.blockOutChannels[i] ?? channels
    for (let j = 0; j < cfg.layersPerBlock; j++) {
      h = resnet(at(block, `resnets.${j}`), h, channels, out)
      channels = out
      if (type === 'CrossAttnDownBlock2D') {
        h = transformer2d(ctx, at(block, `attentions.${j}`), h, transformer(out))
      }
      skips.push({ value: h, channels })
    }
    if (i < cfg.downBlockTypes.length - 1) {
      h = conv2d(ctx, at(block, 'downsamplers.0', 'conv'), h, out, out, { stride: 2, pad: 1 })
      skips.push({ value: h, channels })
    }
  })

  h = resnet(['mid_block', 'resnets.0'], h, channels, channels)
  h = transformer2d(ctx, ['mid_block', 'attentions.0'], h, transformer(channels))
  h = resnet(['mid_block', 'resnets.1'], h, channels, channels)

  const reversed = [...cfg.blockOutChannels].reverse()
  cfg.upBlockTypes.forEach((type, i) => {
    const block: Scope = [`up_blocks.${i}`]
    const out = reversed[i] ?? channels
    for (let j = 0; j <= cfg.layersPerBlock; j++) {
      const skip = skips.pop()
      if (skip === undefined) throw new Error('U-Net skip connections ran out')
      const joined = ctx.op(block, 'Concat', [h, skip.value], { axis: attr.int(1) })
      h = resnet(at(block, `resnets.${j}`), joined, channels + skip.channels, out)
      channels = out
      if (type === 'CrossAttnUpBlock2D') {
        h = transformer2d(ctx, at(block, `attentions.${j}`), h, transformer(out))
      }
    }
    if (i < cfg.upBlockTypes.length - 1) h = upsample2x(ctx, at(block, 'upsamplers.0'), h, out)
  })

  h = groupNorm(ctx, ['conv_norm_out'], h, channels, cfg.normGroups, RESNET_EPS)
  h = silu(ctx, ['conv_act'], h)
  conv2d(ctx, ['conv_out'], h, channels, cfg.latentChannels, { output: 'out_sample' })
  g.output('out_sample', 'float32', ['batch', cfg.latentChannels, 'height', 'width'])
  return kv
}

/**
 * Timesteps → sinusoidal features (flip_sin_to_cos: [cos, sin]) → Gemm → SiLU → Gemm. The
 * timestep is broadcast to the batch first, as diffusers does, so a [1] or scalar timestep
 * also works with a batch of 2.
 */
function timeEmbedding(
  ctx: NetContext,
  sample: string,
  timestep: string,
  timestepIsInt: boolean,
  projDim: number,
  tembDim: number,
): string {
  const batch = ctx.op([], 'Gather', [ctx.op([], 'Shape', [sample]), ctx.i64([0], [])], {
    axis: attr.int(0),
  })
  const batchShape = ctx.op([], 'Unsqueeze', [batch, ctx.i64([0])])
  const t = ctx.op([], 'Expand', [timestep, batchShape])
  const proj = ['time_proj']
  const tf = timestepIsInt
    ? ctx.op(proj, 'Cast', [t], { to: attr.int(TensorProto_DataType.FLOAT) })
    : t
  const half = projDim / 2
  const freqs = Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / half))
  const args = ctx.op(proj, 'Mul', [
    ctx.op(proj, 'Unsqueeze', [tf, ctx.i64([1])]),
    ctx.f32(freqs, [1, half]),
  ])
  const features = ctx.op(
    proj,
    'Concat',
    [ctx.op(proj, 'Cos', [args]), ctx.op(proj, 'Sin', [args])],
    {
      axis: attr.int(-1),
    },
  )
  const h = gemm(ctx, ['time_embedding', 'linear_1'], features, projDim, tembDim)
  return gemm(
    ctx,
    ['time_embedding', 'linear_2'],
    silu(ctx, ['time_embedding', 'act'], h),
    tembDim,
    tembDim,
  )
}

interface ResnetOptions {
  cin: number
  cout: number
  temb: string
  tembDim: number
  groups: number
}

/** diffusers ResnetBlock2D: GN, SiLU, conv1, + time projection, GN, SiLU, conv2, + shortcut. */
function resnetBlock(ctx: NetContext, scope: Scope, x: string, o: ResnetOptions): string {
  const act = at(scope, 'nonlinearity')
  let h = silu(ctx, act, groupNorm(ctx, at(scope, 'norm1'), x, o.cin, o.groups, RESNET_EPS))
  h = conv2d(ctx, at(scope, 'conv1'), h, o.cin, o.cout)
  const t = gemm(ctx, at(scope, 'time_emb_proj'), silu(ctx, act, o.temb), o.tembDim, o.cout)
  h = ctx.op(scope, 'Add', [h, ctx.op(scope, 'Unsqueeze', [t, ctx.i64([2, 3])])])
  h = silu(ctx, act, groupNorm(ctx, at(scope, 'norm2'), h, o.cout, o.groups, RESNET_EPS))
  h = conv2d(ctx, at(scope, 'conv2'), h, o.cout, o.cout, { gain: 0.5 })
  const shortcut =
    o.cin === o.cout
      ? x
      : conv2d(ctx, at(scope, 'conv_shortcut'), x, o.cin, o.cout, { kernel: 1, pad: 0 })
  return ctx.op(scope, 'Add', [shortcut, h])
}
