/**
 * Gradients of Concat, Split and Slice: the three ops that move contiguous ranges of one axis.
 * - Concat places each input at an offset along `axis`; its gradient is the matching range of
 *   dy, taken with Slice (only for the inputs that need one).
 * - Split is Concat's inverse: dx is the Concat of the outputs' gradients, with zeros for the
 *   outputs nothing downstream differentiates. The pieces' sizes come from the probed output
 *   shapes, so the split sizes (attribute or input, by opset) need not be read.
 * - Slice with unit steps copies the box [start, end) per axis; its gradient is dy padded with
 *   zeros back to the input shape (Pad, pads = start before and dim − end after). Starts/ends are
 *   normalized as ONNX does (negative counts from the end, then clamped to [0, dim]). Other steps
 *   are refused.
 */
import type { NodeProto } from 'onnx-buf'
import { attr, intAttribute, intsAttribute } from '../../attributes'
import type { ElemType, GradContext, GradRule, RuleTable } from '../types'

const concat: GradRule = (node, [dy], ctx) => {
  if (dy === null || dy === undefined) return node.input.map(() => null)
  const rank = ctx.info(node.output[0] ?? '').shape.length
  const axis = normalizeAxis(intAttribute(node, 'axis', 0) ?? 0, rank, node)
  let offset = 0
  return node.input.map((input, i) => {
    const size = ctx.info(input).shape[axis] ?? 0
    const start = offset
    offset += size
    return ctx.needsGrad(i) ? slice(ctx, dy, [start], [start + size], [axis]) : null
  })
}

const split: GradRule = (node, outputGrads, ctx) => {
  const grads: (string | null)[] = node.input.map(() => null)
  if (!ctx.needsGrad(0) || outputGrads.every((g) => g === null || g === undefined)) return grads
  const { shape, type } = ctx.info(node.input[0] ?? '')
  const axis = normalizeAxis(intAttribute(node, 'axis', 0) ?? 0, shape.length, node)
  const pieces = node.output.map((output, i) => {
    const g = outputGrads[i]
    return g === null || g === undefined ? zeros(ctx, ctx.info(output).shape, type) : g
  })
  grads[0] =
    pieces.length === 1 ? (pieces[0] ?? null) : ctx.op('Concat', pieces, { axis: attr.int(axis) })
  return grads
}

const sliceRule: GradRule = (node, [dy], ctx) => {
  const grads: (string | null)[] = node.input.map(() => null)
  if (dy === null || dy === undefined || !ctx.needsGrad(0)) return grads
  const label = `Slice node ${node.name || '(unnamed)'}`
  const { shape, type } = ctx.info(node.input[0] ?? '')
  const outShape = ctx.info(node.output[0] ?? '').shape
  const args = sliceArguments(node, ctx, label)
  const begins = shape.map(() => 0)
  const ends = shape.map(() => 0)
  args.axes.forEach((rawAxis, k) => {
    const axis = normalizeAxis(rawAxis, shape.length, node)
    const dim = shape[axis] ?? 0
    if ((args.steps[k] ?? 1) !== 1) {
      throw new Error(`${label}: no gradient for step ${args.steps[k]} (only steps of 1)`)
    }
    const start = clampIndex(args.starts[k] ?? 0, dim)
    const end = Math.max(start, clampIndex(args.ends[k] ?? dim, dim))
    if (end - start !== outShape[axis]) {
      throw new Error(
        `${label}: slice [${start}, ${end}) on axis ${axis} vs output ${outShape[axis]}`,
      )
    }
    begins[axis] = start
    ends[axis] = dim - end
  })
  if (outShape.some((d) => d === 0)) {
    grads[0] = zeros(ctx, shape, type)
    return grads
  }
  const pads = [...begins, ...ends]
  grads[0] =
    ctx.opset >= 11
      ? ctx.op('Pad', [dy, ctx.intConst(pads)])
      : ctx.op('Pad', [dy], { pads: attr.ints(pads) })
  return grads
}

interface SliceArguments {
  readonly starts: readonly number[]
  readonly ends: readonly number[]
  readonly axes: readonly number[]
  readonly steps: readonly number[]
}

/** Starts, ends, axes and steps: attributes before opset 10, constant inputs from it. */
function sliceArguments(node: NodeProto, ctx: GradContext, label: string): SliceArguments {
  if (ctx.opset < 10) {
    const starts = intsAttribute(node, 'starts', []) ?? []
    const ends = intsAttribute(node, 'ends', []) ?? []
    const axes =
      intsAttribute(
        node,
        'axes',
        starts.map((_, i) => i),
      ) ?? []
    return { starts, ends, axes, steps: starts.map(() => 1) }
  }
  const read = (i: number, what: string): readonly number[] | undefined => {
    const name = node.input[i]
    if (name === undefined || name === '') return undefined
    const value = ctx.intValue(name)
    if (value === undefined) throw new Error(`${label}: ${what} input ${name} is not constant`)
    return value
  }
  const starts = read(1, 'starts') ?? []
  const ends = read(2, 'ends') ?? []
  return {
    starts,
    ends,
    axes: read(3, 'axes') ?? starts.map((_, i) => i),
    steps: read(4, 'steps') ?? starts.map(() => 1),
  }
}

/** ONNX's start/end normalization for positive steps: negative counts from the end; clamp. */
function clampIndex(index: number, dim: number): number {
  const i = index < 0 ? index + dim : index
  return Math.min(Math.max(i, 0), dim)
}

/** Slice along `axes` (attributes before opset 10, inputs from it). */
function slice(
  ctx: GradContext,
  value: string,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[],
): string {
  if (ctx.opset < 10) {
    return ctx.op('Slice', [value], {
      starts: attr.ints(starts),
      ends: attr.ints(ends),
      axes: attr.ints(axes),
    })
  }
  return ctx.op('Slice', [
    value,
    ctx.intConst([...starts]),
    ctx.intConst([...ends]),
    ctx.intConst([...axes]),
  ])
}

/** A zero tensor of a static shape: a scalar 0 broadcast by Expand (no large constant). */
function zeros(ctx: GradContext, shape: readonly number[], type: ElemType): string {
  return ctx.op('Expand', [ctx.floatConst([0], [], type), ctx.intConst([...shape])])
}

function normalizeAxis(axis: number, rank: number, node: NodeProto): number {
  const a = axis < 0 ? axis + rank : axis
  if (a < 0 || a >= rank) {
    throw new Error(
      `${node.opType} node ${node.name || '(unnamed)'}: axis ${axis} for rank ${rank}`,
    )
  }
  return a
}

export const concatSplitRules: RuleTable = { Concat: concat, Split: split, Slice: sliceRule }
