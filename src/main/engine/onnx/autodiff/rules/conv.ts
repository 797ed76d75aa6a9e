/**
 * Gradient of Conv (any spatial rank, tested in 2-D; group, strides, pads or auto_pad, dilations,
 * bias), written with Conv, ConvTranspose, Transpose, Reshape, Slice and ReduceSum only.
 *
 * With y[n,m,o] = Σ_{c∈group(m), k} w[m,c,k] · xpad[n,c,o·s + k·d] + b[m]:
 * - dX is the adjoint of that linear map in x, which is exactly ConvTranspose(dY, W) with the
 *   forward's strides, pads, dilations and group. A strided conv drops the last
 *   `r = (in + pads − span) mod stride` input rows, so ConvTranspose gets `output_padding = r`
 *   and its output has the input's shape exactly (odd and even sizes alike).
 * - dW[m,c,k] = Σ_{n,o} dY[n,m,o] · xpad[n,c,k·d + o·s] is itself a convolution in which the
 *   batch and channel roles swap: input Xᵀ [C, N, …], weight dYᵀ [M, N, …], stride = the
 *   forward dilation, dilation = the forward stride, same pads. For group g the channels of
 *   group j must only meet the outputs of group j, so X is laid out as [C/g, g·N, …] (channel
 *   j·N + n holds x[n, j·C/g + c]) and the conv runs with group g: its output [C/g, M, k′…] is dWᵀ.
 *   Its kernel extent k′ can exceed k by ⌊r/d⌋ (the dropped rows); those are sliced off.
 * - dB[m] = Σ_{n,o} dY[n,m,o].
 */
import type { NodeProto } from 'onnx-buf'
import { attr, intAttribute, intsAttribute } from '../../attributes'
import type { GradContext, GradRule, RuleTable } from '../types'

/** Static geometry of one Conv node, pads made explicit. */
interface ConvGeometry {
  readonly x: readonly number[]
  readonly w: readonly number[]
  readonly y: readonly number[]
  readonly group: number
  readonly kernel: readonly number[]
  readonly strides: readonly number[]
  readonly dilations: readonly number[]
  /** ONNX order: all begins, then all ends. */
  readonly pads: readonly number[]
  /** Per spatial axis, the input rows a strided conv leaves unread at the end. */
  readonly remainder: readonly number[]
}

/** The Conv rule, giving dX as a flipped-weight Conv from `formMinPositions` input positions. */
export function convRule(formMinPositions: number): GradRule {
  return (node, outputGrads, ctx) => convGrads(node, outputGrads, ctx, formMinPositions)
}

function convGrads(
  node: NodeProto,
  [dY]: readonly (string | null | undefined)[],
  ctx: GradContext,
  formMinPositions: number,
): (string | null)[] {
  if (dY === null || dY === undefined) return node.input.map(() => null)
  const g = convGeometry(node, ctx)
  const [x = '', w = '', b] = node.input
  const dX = !ctx.needsGrad(0)
    ? null
    : convFormApplies(g, ctx.opset, formMinPositions)
      ? ctx.op('Conv', [dY, flippedWeight(ctx, w, g)], {
          kernel_shape: attr.ints(g.kernel),
          pads: attr.ints(g.pads.map((p, i) => at(g.kernel, i % g.kernel.length) - 1 - p)),
        })
      : ctx.op('ConvTranspose', [dY, w], {
        group: attr.int(g.group),
        kernel_shape: attr.ints(g.kernel),
        strides: attr.ints(g.strides),
        dilations: attr.ints(g.dilations),
        pads: attr.ints(g.pads),
          output_padding: attr.ints(g.remainder),
        })
  const dW = ctx.needsGrad(1) ? weightGrad(ctx, x, dY, g) : null
  const grads: (string | null)[] = [dX, dW]
  if (b !== undefined && b !== '') {
    const perChannel = g.y.map((d, i) => (i === 1 ? d : 1))
    grads.push(
      ctx.needsGrad(2) ? ctx.reshape(ctx.reduceToShape(dY, g.y, perChannel), [g.y[1] ?? 0]) : null,
    )
  }
  return grads
}

/**
 * Input positions from which dX of a stride-1 conv is a Conv rather than a ConvTranspose, for
 * the rule table on its own. ONNX Runtime's ConvTranspose ran 1.4–1.65× slower than Conv on the
 * same shapes (SD1.5 U-Net); the Conv form needs the weight flipped, which ORT folds into a copy
 * of the weight, so it is used where the product is large and the weight small. The builder
 * sets the threshold per graph instead (`convFormMinPositions` in build-gradient.ts): the two
 * highest-resolution levels, whose weights are the smallest in an SD U-Net.
 */
export const CONV_FORM_MIN_POSITIONS = 1024

function convFormApplies(g: ConvGeometry, opset: number, minPositions: number): boolean {
  const positions = g.x.slice(2).reduce((p, d) => p * d, 1)
  return (
    opset >= 10 &&
    g.group === 1 &&
    positions >= minPositions &&
    g.strides.every((s) => s === 1) &&
    g.dilations.every((d) => d === 1) &&
    g.pads.every((p, i) => p <= at(g.kernel, i % g.kernel.length) - 1)
  )
}

/**
 * For stride 1 and dilation 1, dX[c, i] = Σ_{m,k} dY[m, i + p − k] · w[m, c, k]: a correlation of
 * dY with the weight's in/out channels swapped and its kernel reversed, padded by k − 1 − p.
 */
function flippedWeight(ctx: GradContext, w: string, g: ConvGeometry): string {
  const rank = g.w.length
  const swap = [1, 0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)]
  const swapped = ctx.op('Transpose', [w], { perm: attr.ints(swap) })
  const axes = g.kernel.map((_, i) => i + 2)
  return ctx.op('Slice', [
    swapped,
    ctx.intConst(axes.map(() => -1)),
    ctx.intConst(g.kernel.map((k) => -k - 1)),
    ctx.intConst(axes),
    ctx.intConst(axes.map(() => -1)),
  ])
}

/** dW as the batch/channel-swapped convolution described in the file comment. */
function weightGrad(ctx: GradContext, x: string, dY: string, g: ConvGeometry): string {
  const [n = 0, c = 0, ...xSpatial] = g.x
  const rank = g.x.length
  const swap = [1, 0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)]
  let input: string
  if (g.group === 1) {
    input = ctx.op('Transpose', [x], { perm: attr.ints(swap) })
  } else {
    const cg = c / g.group
    const split = ctx.reshape(x, [n, g.group, cg, ...xSpatial])
    const perm = [2, 1, 0, ...Array.from({ length: rank - 2 }, (_, i) => i + 3)]
    const moved = ctx.op('Transpose', [split], { perm: attr.ints(perm) })
    input = ctx.reshape(moved, [cg, g.group * n, ...xSpatial])
  }
  const weight = ctx.op('Transpose', [dY], { perm: attr.ints(swap) })
  let dWt = ctx.op('Conv', [input, weight], {
    group: attr.int(g.group),
    kernel_shape: attr.ints(g.y.slice(2)),
    strides: attr.ints(g.dilations),
    dilations: attr.ints(g.strides),
    pads: attr.ints(g.pads),
  })
  const extent = g.kernel.map((k, i) => k + Math.floor(at(g.remainder, i) / at(g.dilations, i)))
  if (extent.some((e, i) => e !== g.kernel[i])) {
    const axes = g.kernel.map((_, i) => i + 2)
    dWt = sliceLeading(ctx, dWt, axes, g.kernel)
  }
  return ctx.op('Transpose', [dWt], { perm: attr.ints(swap) })
}

/** Keeps the first `sizes[i]` entries along `axes[i]` (Slice with inputs from opset 10). */
function sliceLeading(
  ctx: GradContext,
  value: string,
  axes: readonly number[],
  sizes: readonly number[],
): string {
  const starts = axes.map(() => 0)
  if (ctx.opset < 10) {
    return ctx.op('Slice', [value], {
      starts: attr.ints(starts),
      ends: attr.ints(sizes),
      axes: attr.ints(axes),
    })
  }
  return ctx.op('Slice', [
    value,
    ctx.intConst(starts),
    ctx.intConst([...sizes]),
    ctx.intConst([...axes]),
  ])
}

function convGeometry(node: NodeProto, ctx: GradContext): ConvGeometry {
  const label = `Conv node ${node.name || '(unnamed)'}`
  const x = ctx.info(node.input[0] ?? '').shape
  const w = ctx.info(node.input[1] ?? '').shape
  const y = ctx.info(node.output[0] ?? '').shape
  const spatial = x.length - 2
  if (spatial < 1 || w.length !== x.length || y.length !== x.length) {
    throw new Error(`${label}: unexpected ranks x=[${x.join()}] w=[${w.join()}] y=[${y.join()}]`)
  }
  const ones = Array.from({ length: spatial }, () => 1)
  const group = intAttribute(node, 'group', 1) ?? 1
  const kernel = intsAttribute(node, 'kernel_shape', w.slice(2)) ?? w.slice(2)
  const strides = intsAttribute(node, 'strides', ones) ?? ones
  const dilations = intsAttribute(node, 'dilations', ones) ?? ones
  const span = kernel.map((k, i) => (k - 1) * at(dilations, i) + 1)
  const inSizes = x.slice(2)
  const pads = explicitPads(node, label, inSizes, strides, span)
  const remainder: number[] = []
  for (let i = 0; i < spatial; i++) {
    const padded = at(inSizes, i) + at(pads, i) + at(pads, i + spatial) - at(span, i)
    const out = Math.floor(padded / at(strides, i)) + 1
    if (out !== y[i + 2]) {
      throw new Error(`${label}: output size ${y[i + 2]} on axis ${i + 2}, expected ${out}`)
    }
    remainder.push(padded - (out - 1) * at(strides, i))
  }
  return { x, w, y, group, kernel, strides, dilations, pads, remainder }
}

/** The pads the forward used, with auto_pad SAME_UPPER/SAME_LOWER/VALID made explicit. */
function explicitPads(
  node: NodeProto,
  label: string,
  inSizes: readonly number[],
  strides: readonly number[],
  span: readonly number[],
): number[] {
  const autoPad = stringAttribute(node, 'auto_pad') ?? 'NOTSET'
  const spatial = inSizes.length
  if (autoPad === 'NOTSET') {
    const pads = intsAttribute(node, 'pads') ?? Array.from({ length: 2 * spatial }, () => 0)
    if (pads.length !== 2 * spatial) throw new Error(`${label}: pads [${pads.join()}] do not fit`)
    return pads
  }
  if (autoPad === 'VALID') return Array.from({ length: 2 * spatial }, () => 0)
  if (autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER') {
    throw new Error(`${label}: unknown auto_pad ${autoPad}`)
  }
  const begins: number[] = []
  const ends: number[] = []
  inSizes.forEach((size, i) => {
    const s = at(strides, i)
    const total = Math.max(0, (Math.ceil(size / s) - 1) * s + at(span, i) - size)
    const small = Math.floor(total / 2)
    begins.push(autoPad === 'SAME_UPPER' ? small : total - small)
    ends.push(autoPad === 'SAME_UPPER' ? total - small : small)
  })
  return [...begins, ...ends]
}

function stringAttribute(node: NodeProto, name: string): string | undefined {
  const a = node.attribute.find((x) => x.name === name)
  return a === undefined ? undefined : new TextDecoder().decode(a.s)
}

function at(values: readonly number[], i: number): number {
  const v = values[i]
  if (v === undefined) throw new Error(`index ${i} out of range`)
  return v
}

export const convRules: RuleTable = { Conv: convRule(CONV_FORM_MIN_POSITIONS) }
