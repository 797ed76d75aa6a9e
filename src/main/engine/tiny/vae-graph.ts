/**
 * diffusers AutoencoderKL halves, as the SD exporters split them: `vae_decoder` (latent_sample →
 * sample, 8× larger) and `vae_encoder`. Latents are scaled by 0.18215 outside the graph, as in
 * real exports. One Resize ×2 stage per factor of two, so four blocks give the 8× of SD.
 */
import { attr } from '../onnx'
import { conv2d, groupNorm, silu, upsample2x } from './layers-basic'
import { attention } from './layers-attention'
import { at } from './net-context'
import type { NetContext, Scope } from './net-context'

export interface VaeConfig {
  /** encoder order; the decoder walks it backwards. Length 4 gives the 8× scale. */
  blockOutChannels: readonly number[]
  layersPerBlock: number
  normGroups: number
  latentChannels: number
}

/**
 * What the encoder returns: diffusers' conversion script samples inside the graph
 * (`latent_sample`, with RandomNormalLike); Optimum returns mean and log-variance stacked
 * (`latent_parameters`, 2 × latent channels) and leaves sampling to the caller.
 */
export type VaeEncoderOutput = 'latent_sample' | 'latent_parameters'

const EPS = 1e-6

export function buildVaeDecoder(ctx: NetContext, cfg: VaeConfig): void {
  const z = ctx.g.input('latent_sample', 'float32', [
    'batch',
    cfg.latentChannels,
    'height',
    'width',
  ])
  const lc = cfg.latentChannels
  const channels = [...cfg.blockOutChannels].reverse()
  const top = channels[0] ?? 0
  const dec: Scope = ['decoder']
  let h = conv2d(ctx, ['post_quant_conv'], z, lc, lc, { kernel: 1, pad: 0 })
  h = conv2d(ctx, at(dec, 'conv_in'), h, lc, top)
  h = midBlock(ctx, at(dec, 'mid_block'), h, top, cfg.normGroups)
  let c = top
  channels.forEach((out, i) => {
    const block = at(dec, `up_blocks.${i}`)
    for (let j = 0; j <= cfg.layersPerBlock; j++) {
      h = resnet(ctx, at(block, `resnets.${j}`), h, c, out, cfg.normGroups)
      c = out
    }
    if (i < channels.length - 1) h = upsample2x(ctx, at(block, 'upsamplers.0'), h, out)
  })
  h = silu(
    ctx,
    at(dec, 'conv_act'),
    groupNorm(ctx, at(dec, 'conv_norm_out'), h, c, cfg.normGroups, EPS),
  )
  conv2d(ctx, at(dec, 'conv_out'), h, c, 3, { output: 'sample' })
  ctx.g.output('sample', 'float32', ['batch', 3, 'image_height', 'image_width'])
}

export function buildVaeEncoder(ctx: NetContext, cfg: VaeConfig, output: VaeEncoderOutput): void {
  const x = ctx.g.input('sample', 'float32', ['batch', 3, 'image_height', 'image_width'])
  const enc: Scope = ['encoder']
  const lc = cfg.latentChannels
  let c = cfg.blockOutChannels[0] ?? 0
  let h = conv2d(ctx, at(enc, 'conv_in'), x, 3, c)
  cfg.blockOutChannels.forEach((out, i) => {
    const block = at(enc, `down_blocks.${i}`)
    for (let j = 0; j < cfg.layersPerBlock; j++) {
      h = resnet(ctx, at(block, `resnets.${j}`), h, c, out, cfg.normGroups)
      c = out
    }
    if (i < cfg.blockOutChannels.length - 1) {
      // diffusers pads right/bottom by one, then a 3×3 stride-2 conv without padding.
      const down = at(block, 'downsamplers.0')
      const padded = ctx.op(down, 'Pad', [h, ctx.i64([0, 0, 0, 0, 0, 0, 1, 1])], {
        mode: attr.string('constant'),
      })
      h = conv2d(ctx, at(down, 'conv'), padded, out, out, { stride: 2, pad: 0 })
    }
  })
  h = midBlock(ctx, at(enc, 'mid_block'), h, c, cfg.normGroups)
  h = silu(
    ctx,
    at(enc, 'conv_act'),
    groupNorm(ctx, at(enc, 'conv_norm_out'), h, c, cfg.normGroups, EPS),
  )
  h = conv2d(ctx, at(enc, 'conv_out'), h, c, 2 * lc)
  const latentDims = ['batch', output === 'latent_parameters' ? 2 * lc : lc, 'height', 'width']
  if (output === 'latent_parameters') {
    conv2d(ctx, ['quant_conv'], h, 2 * lc, 2 * lc, { kernel: 1, pad: 0, output })
  } else {
    const moments = conv2d(ctx, ['quant_conv'], h, 2 * lc, 2 * lc, { kernel: 1, pad: 0 })
    const slice = (from: number, to: number): string =>
      ctx.op([], 'Slice', [moments, ctx.i64([from]), ctx.i64([to]), ctx.i64([1])])
    const mean = slice(0, lc)
    const logvar = ctx.op([], 'Clip', [slice(lc, 2 * lc), ctx.f32([-30]), ctx.f32([20])])
    const std = ctx.op([], 'Exp', [ctx.op([], 'Mul', [logvar, ctx.f32([0.5])])])
    const noise = ctx.op([], 'RandomNormalLike', [mean])
    ctx.op([], 'Add', [mean, ctx.op([], 'Mul', [std, noise])], {}, output)
  }
  ctx.g.output(output, 'float32', latentDims)
}

function midBlock(ctx: NetContext, scope: Scope, x: string, c: number, groups: number): string {
  let h = resnet(ctx, at(scope, 'resnets.0'), x, c, c, groups)
  h = spatialAttention(ctx, at(scope, 'attentions.0'), h, c, groups)
  return resnet(ctx, at(scope, 'resnets.1'), h, c, c, groups)
}

/** The VAE's single-head attention over all pixels, with GroupNorm and a residual. */
function spatialAttention(
  ctx: NetContext,
  scope: Scope,
  x: string,
  c: number,
  groups: number,
): string {
  const normed = groupNorm(ctx, at(scope, 'group_norm'), x, c, groups, EPS)
  const tokens = ctx.op(
    scope,
    'Transpose',
    [ctx.op(scope, 'Reshape', [normed, ctx.i64([0, c, -1])])],
    {
      perm: attr.ints([0, 2, 1]),
    },
  )
  const attended = attention(ctx, scope, tokens, {
    dim: c,
    heads: 1,
    style: 'torch1',
    qkvBias: true,
  })
  const back = ctx.op(scope, 'Reshape', [
    ctx.op(scope, 'Transpose', [attended], { perm: attr.ints([0, 2, 1]) }),
    ctx.op(scope, 'Shape', [x]),
  ])
  return ctx.op(scope, 'Add', [back, x])
}

/** ResnetBlock2D without a time embedding (temb_channels=None in the VAE). */
function resnet(
  ctx: NetContext,
  scope: Scope,
  x: string,
  cin: number,
  cout: number,
  groups: number,
): string {
  const act = at(scope, 'nonlinearity')
  let h = silu(ctx, act, groupNorm(ctx, at(scope, 'norm1'), x, cin, groups, EPS))
  h = conv2d(ctx, at(scope, 'conv1'), h, cin, cout)
  h = silu(ctx, act, groupNorm(ctx, at(scope, 'norm2'), h, cout, groups, EPS))
  h = conv2d(ctx, at(scope, 'conv2'), h, cout, cout, { gain: 0.5 })
  const shortcut =
    cin === cout ? x : conv2d(ctx, at(scope, 'conv_shortcut'), x, cin, cout, { kernel: 1, pad: 0 })
  return ctx.op(scope, 'Add', [shortcut, h])
}
