/**
 * Gradients of Gather (embedding lookups) and of ScatterND / ScatterElements (reduction none or
 * add). Indices never get a gradient.
 *
 * Gather along `axis` reads data[a, idx[j], b] into y[a, j, b] (data viewed as [A, K, B], indices
 * flattened to n), so d data[a, k, b] = Σ_{j: idx[j] ≡ k} dy[a, j, b]: a scatter-add, in which
 * repeated indices must accumulate. ScatterElements gained `reduction` in opset 16 (ORT's CPU
 * kernel implements 'add' there for float and double), so from 16 the rule emits
 * ScatterElements(zeros[A,K,B], idx expanded to [A,n,B], dy[A,n,B], axis 1, reduction add).
 * Before 16 no standard op scatter-adds, so it builds the one-hot matrix
 * H[k, j] = (idx[j] ≡ k) with Equal/Cast and multiplies: d data = H · dy (MatMul broadcasts over A).
 *
 * For y = Scatter(data, idx, u): with reduction add, y = data + scatter-add(u), so d data = dy and
 * du = Gather{Elements,ND}(dy, idx). With reduction none the scattered positions of data are
 * overwritten: d data = dy with those positions zeroed (the same Scatter of zeros), du as above.
 * mul/min/max reductions are refused.
 */
import type { NodeProto } from 'onnx-buf'
import { TensorProto_DataType } from 'onnx-buf'
import { attr, intAttribute } from '../../attributes'
import type { ElemType, GradContext, GradRule, RuleTable } from '../types'

/** The first opset whose ScatterElements takes reduction = 'add'. */
const SCATTER_REDUCTION_SINCE = 16

const gather: GradRule = (node, [dy], ctx) => {
  if (dy === null || dy === undefined || !ctx.needsGrad(0)) return node.input.map(() => null)
  const [data = '', indices = ''] = node.input
  const { shape, type } = ctx.info(data)
  const rank = shape.length
  const rawAxis = intAttribute(node, 'axis', 0) ?? 0
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis
  if (axis < 0 || axis >= rank) {
    throw new Error(`Gather node ${node.name || '(unnamed)'}: axis ${rawAxis} for rank ${rank}`)
  }
  const outer = product(shape.slice(0, axis))
  const k = shape[axis] ?? 0
  const inner = product(shape.slice(axis + 1))
  const n = product(ctx.info(indices).shape)
  const dy3 = ctx.reshape(dy, [outer, n, inner])
  let grad3: string
  if (ctx.opset >= SCATTER_REDUCTION_SINCE) {
    const where = ctx.op('Expand', [
      ctx.reshape(indices, [1, n, 1]),
      ctx.intConst([outer, n, inner]),
    ])
    grad3 = ctx.op('ScatterElements', [zeros(ctx, [outer, k, inner], type), where, dy3], {
      axis: attr.int(1),
      reduction: attr.string('add'),
    })
  } else {
    grad3 = ctx.op('MatMul', [oneHot(ctx, indices, n, k, type), dy3])
  }
  return [ctx.reshape(grad3, shape), null]
}

/** H[k, j] = 1 where indices[j] is k or k − K (Gather allows negative indices), else 0. */
function oneHot(ctx: GradContext, indices: string, n: number, k: number, type: ElemType): string {
  let flat = ctx.reshape(indices, [1, n])
  if (ctx.info(indices).type !== 'int64') {
    flat = ctx.op('Cast', [flat], { to: attr.int(TensorProto_DataType.INT64) })
  }
  const rows = Array.from({ length: k }, (_, i) => i)
  const hit = ctx.op('Or', [
    ctx.op('Equal', [flat, ctx.intConst(rows, [k, 1])]),
    ctx.op('Equal', [
      flat,
      ctx.intConst(
        rows.map((r) => r - k),
        [k, 1],
      ),
    ]),
  ])
  return ctx.op('Cast', [hit], { to: attr.int(castTarget(type)) })
}

const scatter: GradRule = (node, [dy], ctx) => {
  const grads: (string | null)[] = node.input.map(() => null)
  if (dy === null || dy === undefined) return grads
  const label = `${node.opType} node ${node.name || '(unnamed)'}`
  const reduction = stringAttribute(node, 'reduction', 'none')
  if (reduction !== 'none' && reduction !== 'add') {
    throw new Error(`${label}: no gradient for reduction ${reduction} (only none and add)`)
  }
  const [, indices = '', updates = ''] = node.input
  const elements = node.opType === 'ScatterElements'
  const axisAttrs = elements ? { axis: attr.int(intAttribute(node, 'axis', 0) ?? 0) } : undefined
  if (ctx.needsGrad(0)) {
    const { type } = ctx.info(updates)
    grads[0] =
      reduction === 'add'
        ? dy
        : ctx.op(node.opType, [dy, indices, zeros(ctx, ctx.info(updates).shape, type)], axisAttrs)
  }
  if (ctx.needsGrad(2)) {
    grads[2] = ctx.op(elements ? 'GatherElements' : 'GatherND', [dy, indices], axisAttrs)
  }
  return grads
}

/** A zero tensor of a static shape: a scalar 0 broadcast by Expand (no large constant). */
function zeros(ctx: GradContext, shape: readonly number[], type: ElemType): string {
  return ctx.op('Expand', [ctx.floatConst([0], [], type), ctx.intConst([...shape])])
}

function castTarget(type: ElemType): TensorProto_DataType {
  switch (type) {
    case 'float32':
      return TensorProto_DataType.FLOAT
    case 'float64':
      return TensorProto_DataType.DOUBLE
    case 'float16':
      return TensorProto_DataType.FLOAT16
    case 'int64':
    case 'int32':
    case 'bool':
    case 'other':
      throw new Error(`no gradient for Gather of ${type} data`)
  }
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1)
}

function stringAttribute(node: NodeProto, name: string, fallback: string): string {
  const a = node.attribute.find((x) => x.name === name)
  return a === undefined ? fallback : new TextDecoder().decode(a.s)
}

export const gatherRules: RuleTable = {
  Gather: gather,
  ScatterElements: scatter,
  ScatterND: scatter,
}
