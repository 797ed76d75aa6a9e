/**
 * The backward pass of SD's upsampler, nearest ×2 then a 3×3 conv (diffusers Upsample2D), in
 * one strided Conv. With u = up(x) (u[q] = x[⌊q/2⌋]) and y = conv3×3(u, W, pad 1):
 *   dx[c, i] = Σ_{δ∈{0,1}} du[c, 2i + δ] = Σ_{o,δ,k} W[o, c, k] · dy[o, 2i + δ − k + 1]
 *            = Σ_{o,m} W4[c, o, m] · dy[o, 2i − 1 + m],   m = δ − k + 2 ∈ {0, 1, 2, 3},
 * per spatial axis, with the folded taps W4[m] = (W[2], W[1] + W[2], W[0] + W[1], W[0]). So dx
 * is Conv(dy, W4, kernel 4, stride 2, pads 1): the 2×-resolution product of the plain rule
 * (Conv of dy with the flipped 3×3 weight over 4·H·W positions, then block sums) becomes one over
 * H·W positions with 16 taps instead of 36 per input position, 2.25× fewer multiply-adds. On
 * SD1.5 these are the two largest convs of the backward pass (up_blocks.1 and .2 upsamplers).
 *
 * Where it applies: the Resize is a nearest block copy by exactly 2 on both spatial axes (the
 * Resize rule's own check), its output feeds only that Conv (input 0, so the conv's dU is all of
 * it) and is no graph output, and the Conv is 2-D, group 1, 3×3, stride 1, dilation 1, pads 1,
 * on at least CONV_FORM_MIN_POSITIONS positions. The folded weight is computed from W by
 * Slice/Add/Concat, which ORT folds into one constant (16/9 of W; it replaces the flipped copy
 * the plain rule makes at those sizes). The Conv's other gradients (dW, dB) come from the plain
 * rule; the paired Resize then passes dx through.
 */
import type { NodeProto } from 'onnx-buf'
import { attr, intAttribute, intsAttribute } from '../attributes'
import { CONV_FORM_MIN_POSITIONS } from './rules/conv'
import { blockFactors } from './rules/resize'
import type { GradContext, GradRule, ValueInfo } from './types'

/** Conv nodes mapped to the Resize feeding them, where the fused form above applies. */
export function upsampleConvPairs(
  order: readonly NodeProto[],
  graphOutputs: ReadonlySet<string>,
  info: (value: string) => ValueInfo,
  resizeContext: (node: NodeProto) => GradContext,
): Map<NodeProto, NodeProto> {
  const producer = new Map<string, NodeProto>()
  const readers = new Map<string, number>()
  for (const n of order) {
    for (const o of n.output) if (o !== '') producer.set(o, n)
    for (const i of n.input) if (i !== '') readers.set(i, (readers.get(i) ?? 0) + 1)
  }
  const pairs = new Map<NodeProto, NodeProto>()
  for (const conv of order) {
    if (conv.opType !== 'Conv' || (conv.domain !== '' && conv.domain !== 'ai.onnx')) continue
    const u = conv.input[0] ?? ''
    const resize = producer.get(u)
    if (resize === undefined || resize.opType !== 'Resize') continue
    if (resize.domain !== '' && resize.domain !== 'ai.onnx') continue
    if (readers.get(u) !== 1 || graphOutputs.has(u)) continue
    if (!isPlainConv3x3(conv, info)) continue
    let factors: number[]
    try {
      factors = blockFactors(resize, resizeContext(resize))
    } catch {
      continue
    }
    if (factors.length === 4 && factors.every((f, i) => f === (i < 2 ? 1 : 2))) {
      pairs.set(conv, resize)
    }
  }
  return pairs
}

function isPlainConv3x3(conv: NodeProto, info: (value: string) => ValueInfo): boolean {
  const u = info(conv.input[0] ?? '').shape
  const w = info(conv.input[1] ?? '').shape
  if (u.length !== 4 || w.length !== 4 || w[2] !== 3 || w[3] !== 3) return false
  const autoPad = conv.attribute.find((a) => a.name === 'auto_pad')
  if (autoPad !== undefined && new TextDecoder().decode(autoPad.s) !== 'NOTSET') return false
  const same = (name: string, want: number[], fallback: number[]): boolean => {
    const got = intsAttribute(conv, name, fallback) ?? fallback
    return got.length === want.length && got.every((v, i) => v === want[i])
  }
  return (
    (intAttribute(conv, 'group', 1) ?? 1) === 1 &&
    same('kernel_shape', [3, 3], [3, 3]) &&
    same('strides', [1, 1], [1, 1]) &&
    same('dilations', [1, 1], [1, 1]) &&
    same('pads', [1, 1, 1, 1], [0, 0, 0, 0]) &&
    (u[2] ?? 0) * (u[3] ?? 0) >= CONV_FORM_MIN_POSITIONS
  )
}

/**
 * The paired Conv's gradients: dx of the Resize's input in place of dU (see the file comment),
 * then dW and dB from the plain Conv rule.
 */
export function upsampleConvGrads(
  ctx: GradContext,
  conv: NodeProto,
  dY: string,
  rule: GradRule,
): (string | null)[] {
  const rest = rule(conv, [dY], { ...ctx, needsGrad: (i) => i > 0 && ctx.needsGrad(i) })
  const dX = ctx.op('Conv', [dY, foldedWeight(ctx, conv.input[1] ?? '')], {
    kernel_shape: attr.ints([4, 4]),
    strides: attr.ints([2, 2]),
    pads: attr.ints([1, 1, 1, 1]),
  })
  return [dX, ...rest.slice(1)]
}

/** W [O, C, 3, 3] → W4 [C, O, 4, 4]: in/out swapped, taps folded on both spatial axes. */
function foldedWeight(ctx: GradContext, w: string): string {
  let folded = ctx.op('Transpose', [w], { perm: attr.ints([1, 0, 2, 3]) })
  for (const axis of [2, 3]) {
    const tap = (k: number): string =>
      ctx.op('Slice', [folded, ctx.intConst([k]), ctx.intConst([k + 1]), ctx.intConst([axis])])
    const [t0, t1, t2] = [tap(0), tap(1), tap(2)]
    folded = ctx.op('Concat', [t2, ctx.op('Add', [t1, t2]), ctx.op('Add', [t0, t1]), t0], {
      axis: attr.int(axis),
    })
  }
  return folded
}
