/**
 * The GradContext a rule receives for one forward node: static facts from the probe, and an
 * emitter scoped to the node. Everything shape-like a rule emits is a constant (`intConst`,
 * `reshape`, `reduceToShape`), never a forward shape sub-graph value, which is what freezes the
 * backward graph at the probed shapes.
 */
import type { NodeProto } from 'onnx-buf'
import type { Attrs } from '../attributes'
import type { Emitter } from './emitter'
import type { ElemType, GradContext, ValueInfo } from './types'

/** What the builder knows about the forward graph. */
export interface ForwardFacts {
  info(value: string): ValueInfo
  /** Probed values of static integer tensors only (see analysis.ts `staticValues`). */
  intValue(value: string): readonly number[] | undefined
  /** One-element constants (analysis.ts `constantScalars`). */
  scalarValue(value: string): number | undefined
  /** Values that depend differentiably on a `wrt` input. */
  readonly active: ReadonlySet<string>
}

export const isFloat = (t: ElemType): boolean =>
  t === 'float32' || t === 'float64' || t === 'float16'

export function makeGradContext(
  node: NodeProto,
  scope: string,
  emitter: Emitter,
  facts: ForwardFacts,
): GradContext {
  const defaultType = (): ElemType => {
    for (const v of [...node.output, ...node.input]) {
      if (v === '') continue
      const t = facts.info(v).type
      if (isFloat(t)) return t
    }
    return 'float32'
  }
  return {
    opset: emitter.opset,
    info: (value) => facts.info(value),
    intValue: (value) => facts.intValue(value),
    scalarValue: (value) => facts.scalarValue(value),
    needsGrad: (i) => {
      const name = node.input[i]
      return name !== undefined && name !== '' && facts.active.has(name)
    },
    op: (opType, inputs, attrs) => emitter.op(scope, opType, inputs, attrs),
    ops: (opType, inputs, outputs, attrs) => emitter.emit(scope, opType, inputs, outputs, attrs),
    floatConst: (values, dims, type) => emitter.floatConst(values, dims, type ?? defaultType()),
    intConst: (values, dims) => emitter.intConst(values, dims),
    reduceToShape: (grad, from, to) => reduceToShape(emitter, scope, grad, from, to),
    reshape: (value, shape) => reshape(emitter, scope, value, shape),
  }
}

/** Reshape to a static shape (allowzero where a dimension really is 0). */
export function reshape(
  emitter: Emitter,
  scope: string,
  value: string,
  shape: readonly number[],
): string {
  const attrs: Attrs =
    shape.includes(0) && emitter.opset >= 14 ? { allowzero: { kind: 'int', value: 1 } } : {}
  return emitter.op(scope, 'Reshape', [value, emitter.intConst(shape)], attrs)
}

/**
 * Sums `grad` (shaped `from`) down to `to` under numpy broadcasting: the leading axes `to`
 * lacks and the axes where `to` has 1 and `from` does not, then a Reshape when ranks differ.
 */
export function reduceToShape(
  emitter: Emitter,
  scope: string,
  grad: string,
  from: readonly number[],
  to: readonly number[],
): string {
  if (sameShape(from, to)) return grad
  const lead = from.length - to.length
  if (lead < 0) throw new Error(`cannot reduce [${from.join(', ')}] to [${to.join(', ')}]`)
  const axes: number[] = []
  from.forEach((d, i) => {
    const t = to[i - lead]
    if (t === undefined) axes.push(i)
    else if (t === 1 && d !== 1) axes.push(i)
    else if (t !== d) {
      throw new Error(`[${to.join(', ')}] does not broadcast to [${from.join(', ')}]`)
    }
  })
  let out = grad
  if (axes.length > 0) out = reduceSum(emitter, scope, grad, axes, true)
  const reduced = from.map((d, i) => (axes.includes(i) ? 1 : d))
  return sameShape(reduced, to) ? out : reshape(emitter, scope, out, to)
}

/** ReduceSum over `axes` in the form the opset wants (axes as input from opset 13). */
export function reduceSum(
  emitter: Emitter,
  scope: string,
  value: string,
  axes: readonly number[],
  keepdims: boolean,
): string {
  const keep: Attrs = { keepdims: { kind: 'int', value: keepdims ? 1 : 0 } }
  if (emitter.opset >= 13) {
    return emitter.op(scope, 'ReduceSum', [value, emitter.intConst(axes)], keep)
  }
  return emitter.op(scope, 'ReduceSum', [value], { ...keep, axes: { kind: 'ints', value: axes } })
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i])
}
