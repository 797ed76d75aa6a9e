/**
 * Gradients of ops that only rearrange elements. Reshape, Squeeze, Unsqueeze and Flatten keep
 * the element order, so the gradient is dY reshaped to the input's probed shape (a constant:
 * the forward shape input, often a Shape/Concat sub-graph, is never read). Transpose's gradient
 * is the inverse permutation. Shape and axes inputs get no gradient.
 */
import type { NodeProto } from 'onnx-buf'
import { attr, intsAttribute } from '../../attributes'
import type { GradRule, RuleTable } from '../types'

const noGrads = (node: NodeProto): (string | null)[] => node.input.map(() => null)

/** dX = reshape(dY, shape of X). */
const reshapeBack: GradRule = (node, [dy], ctx) => {
  const grads = noGrads(node)
  if (dy === null || dy === undefined || !ctx.needsGrad(0)) return grads
  const x = node.input[0] ?? ''
  grads[0] = ctx.reshape(dy, ctx.info(x).shape)
  return grads
}

/** perm defaults to reversing the axes; the inverse permutation undoes it. */
const transpose: GradRule = (node, [dy], ctx) => {
  const grads = noGrads(node)
  if (dy === null || dy === undefined || !ctx.needsGrad(0)) return grads
  const rank = ctx.info(node.input[0] ?? '').shape.length
  const perm = intsAttribute(node, 'perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i)
  const inverse = new Array<number>(rank).fill(0)
  perm.forEach((p, i) => {
    inverse[p < 0 ? p + rank : p] = i
  })
  grads[0] = ctx.op('Transpose', [dy], { perm: attr.ints(inverse) })
  return grads
}

export const shapeRules: RuleTable = {
  Reshape: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  Flatten: reshapeBack,
  Transpose: transpose,
}
