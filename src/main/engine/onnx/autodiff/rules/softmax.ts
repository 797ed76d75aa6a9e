/**
 * Gradient of Softmax. With y = softmax(x) over a set of axes, the Jacobian is diag(y) − y yᵀ,
 * so dx = y · (dy − Σ dy·y), the sum over the same axes and kept for broadcasting. It reads the
 * forward output y instead of recomputing it.
 *
 * Opset ≥ 13 normalizes along the single `axis` (default −1). Older opsets coerce the input to
 * 2-D at `axis` (default 1), i.e. normalize jointly over every axis from `axis` on; both are
 * handled, as the set of axes the sum runs over.
 */
import { intAttribute } from '../../attributes'
import type { GradRule, RuleTable } from '../types'

const softmax: GradRule = (node, [dy], ctx) => {
  if (dy === null || dy === undefined || !ctx.needsGrad(0)) return [null]
  const y = node.output[0] ?? ''
  const shape = ctx.info(y).shape
  const rank = shape.length
  const modern = ctx.opset >= 13
  const raw = intAttribute(node, 'axis', modern ? -1 : 1) ?? -1
  const axis = raw < 0 ? raw + rank : raw
  if (axis < 0 || (axis >= rank && rank > 0)) {
    throw new Error(`Softmax node ${node.name || '(unnamed)'}: axis ${raw} for rank ${rank}`)
  }
  const summed = (i: number): boolean => (modern ? i === axis : i >= axis)
  const kept = shape.map((d, i) => (summed(i) ? 1 : d))
  const dot = ctx.reduceToShape(ctx.op('Mul', [dy, y]), shape, kept)
  return [ctx.op('Mul', [y, ctx.op('Sub', [dy, dot])])]
}

export const softmaxRules: RuleTable = { Softmax: softmax }
