/**
 * The backward pass of attention's Softmax without a reduction over the probabilities. For
 * O = P·V with P = softmax(S) along the last axis, dS = P ⊙ (dP − s) needs the row sums
 * s_i = Σ_j P_ij·dP_ij. Since dP = dO·Vᵀ, s_i = Σ_d dO_id·(Σ_j P_ij V_jd) = Σ_d dO_id·O_id: the
 * same sums from dO and O, which are [heads, n, d] instead of [heads, n, n] (FlashAttention's
 * trick). The subtraction then rides along in the product that makes dP, as one more column:
 * [dO, −s]·[V, 1]ᵀ = dO·Vᵀ − s·1ᵀ, so dS = P ⊙ that product. On SD1.5 at 64×64 latents this
 * skips a Mul, a ReduceSum and a Sub over 0.5 GiB per layer.
 *
 * It applies when the probabilities feed exactly one node, the MatMul P·V (as its first
 * operand), so dP is that MatMul's gradient alone, and the MatMul keeps P's batch axes. The
 * shifted dP is a valid gradient for the plain Softmax rule too: that rule's own row sums of
 * P ⊙ (dP − s·1ᵀ) are s − s·ΣP = 0.
 */
import type { NodeProto } from 'onnx-buf'
import { attr, intAttribute } from '../attributes'
import type { GradContext, GradRule, ValueInfo } from './types'

/** P·V MatMul nodes mapped to the Softmax producing their P, where the identity above holds. */
export function attentionPairs(
  order: readonly NodeProto[],
  graphOutputs: ReadonlySet<string>,
  info: (value: string) => ValueInfo,
  opset: number,
): Map<NodeProto, NodeProto> {
  const consumers = new Map<string, NodeProto[]>()
  for (const n of order) {
    for (const i of new Set(n.input)) {
      const list = consumers.get(i)
      if (list === undefined) consumers.set(i, [n])
      else list.push(n)
    }
  }
  const pairs = new Map<NodeProto, NodeProto>()
  for (const softmax of order) {
    if (softmax.opType !== 'Softmax' || (softmax.domain !== '' && softmax.domain !== 'ai.onnx')) {
      continue
    }
    const p = softmax.output[0] ?? ''
    const pShape = info(p).shape
    const rank = pShape.length
    const raw = intAttribute(softmax, 'axis', opset >= 13 ? -1 : 1) ?? -1
    if (rank < 2 || (raw < 0 ? raw + rank : raw) !== rank - 1 || graphOutputs.has(p)) continue
    const users = consumers.get(p) ?? []
    const matmul = users[0]
    if (users.length !== 1 || matmul === undefined || matmul.opType !== 'MatMul') continue
    if (matmul.input[0] !== p || matmul.input[1] === p) continue
    const oShape = info(matmul.output[0] ?? '').shape
    const sameRows = oShape.length === rank && pShape.slice(0, -1).every((d, i) => d === oShape[i])
    if (sameRows) pairs.set(matmul, softmax)
  }
  return pairs
}

/**
 * Gradients of a pair's P·V MatMul: [dP − s·1ᵀ, dV], the first as one MatMul of [dO, −s] and
 * [V, 1]ᵀ, the second from the MatMul rule (`rule`) as usual.
 */
export function attentionProductGrads(
  ctx: GradContext,
  matmul: NodeProto,
  dO: string,
  rule: GradRule,
): (string | null)[] {
  const grads = rule(matmul, [dO], { ...ctx, needsGrad: (i) => i === 1 && ctx.needsGrad(1) })
  const o = matmul.output[0] ?? ''
  const v = matmul.input[1] ?? ''
  const oShape = ctx.info(o).shape
  const vShape = ctx.info(v).shape
  const rows = ctx.reduceToShape(ctx.op('Mul', [dO, o]), oShape, [...oShape.slice(0, -1), 1])
  const last = attr.int(-1)
  const left = ctx.op('Concat', [dO, ctx.op('Neg', [rows])], { axis: last })
  const ones = ctx.op('Expand', [
    ctx.floatConst([1], [], ctx.info(v).type),
    ctx.intConst([...vShape.slice(0, -1), 1]),
  ])
  const right = ctx.op('Concat', [v, ones], { axis: last })
  const rank = vShape.length
  const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2]
  const shifted = ctx.op('MatMul', [left, ctx.op('Transpose', [right], { perm: attr.ints(perm) })])
  return [shifted, grads[1] ?? null]
}

/** dS = P ⊙ (dP − s·1ᵀ), given the shifted product from attentionProductGrads. */
export function attentionSoftmaxGrad(ctx: GradContext, softmax: NodeProto, shifted: string): string {
  return ctx.op('Mul', [softmax.output[0] ?? '', shifted])
}
