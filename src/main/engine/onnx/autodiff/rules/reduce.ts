/**
 * Gradients of ReduceSum and ReduceMean. Every input element contributes once to the output
 * element it reduces into (with weight 1/count for the mean), so dx is dy with the reduced axes
 * restored (Reshape to the keepdims shape) and broadcast back over them (Expand), scaled by
 * 1/count for the mean.
 *
 * The axes travel as an attribute before the opset in which they became an input (13 for
 * ReduceSum, 18 for ReduceMean); as an input they must be constant (`ctx.intValue`). Empty axes
 * mean "all axes", or the identity when `noop_with_empty_axes` is set.
 */
import type { NodeProto } from 'onnx-buf'
import { intAttribute, intsAttribute } from '../../attributes'
import type { GradContext, GradRule, RuleTable } from '../types'

/** The first opset in which each op takes its axes as an input instead of an attribute. */
const AXES_INPUT_SINCE: Readonly<Record<string, number>> = { ReduceSum: 13, ReduceMean: 18 }

const reduce: GradRule = (node, [dy], ctx) => {
  const grads: (string | null)[] = node.input.map(() => null)
  if (dy === null || dy === undefined || !ctx.needsGrad(0)) return grads
  const x = node.input[0] ?? ''
  const { shape, type } = ctx.info(x)
  const axes = reducedAxes(node, ctx, shape.length)
  if (axes === 'identity') {
    grads[0] = dy
    return grads
  }
  const kept = shape.map((d, i) => (axes.has(i) ? 1 : d))
  let g = ctx.reshape(dy, kept)
  if (node.opType === 'ReduceMean') {
    const count = [...axes].reduce((n, a) => n * (shape[a] ?? 1), 1)
    g = ctx.op('Mul', [g, ctx.floatConst([1 / count], [], type)])
  }
  grads[0] = ctx.op('Expand', [g, ctx.intConst([...shape])])
  return grads
}

/** The reduced axes (normalized, as a set), or 'identity' for an empty list with the noop flag. */
function reducedAxes(node: NodeProto, ctx: GradContext, rank: number): Set<number> | 'identity' {
  const label = `${node.opType} node ${node.name || '(unnamed)'}`
  let axes: readonly number[]
  const since = AXES_INPUT_SINCE[node.opType] ?? 13
  if (ctx.opset >= since) {
    const input = node.input[1]
    if (input === undefined || input === '') {
      axes = []
    } else {
      const value = ctx.intValue(input)
      if (value === undefined) throw new Error(`${label}: axes input ${input} is not constant`)
      axes = value
    }
  } else {
    axes = intsAttribute(node, 'axes', []) ?? []
  }
  if (axes.length === 0) {
    const noop = ctx.opset >= since && intAttribute(node, 'noop_with_empty_axes', 0) === 1
    return noop ? 'identity' : new Set(Array.from({ length: rank }, (_, i) => i))
  }
  return new Set(
    axes.map((a) => {
      const axis = a < 0 ? a + rank : a
      if (axis < 0 || axis >= rank) throw new Error(`${label}: axis ${a} out of range`)
      return axis
    }),
  )
}

export const reduceRules: RuleTable = { ReduceSum: reduce, ReduceMean: reduce }
