/**
 * Which forward nodes the backward pass needs: those on a path from a differentiated input to
 * the loss output, found as (forward reachability from `wrt`) ∩ (backward reachability from the
 * output), both along differentiable edges only. Integer and bool values never carry gradient,
 * so shape sub-graphs (Shape, Gather on shapes, Concat of int64, ConstantOfShape, …) drop out
 * by themselves, and so does anything that does not lead to the loss.
 */
import type { GraphProto, NodeProto, TensorProto } from 'onnx-buf'
import { isExternal } from '../external-data'
import { decodeInlineTensor, dimsToNumbers, elementCount } from '../tensor-proto'
import { isFloat } from './grad-context'
import type { ValueInfo } from './types'

/**
 * The nodes in a topological order: the graph's own order when it already is one (ONNX
 * requires it, exporters comply), else a stable Kahn sort that keeps the original order where
 * it can.
 */
export function topologicalOrder(graph: GraphProto): NodeProto[] {
  const available = new Set<string>(['', ...graph.input.map((i) => i.name)])
  for (const t of graph.initializer) available.add(t.name)
  const pending = [...graph.node]
  const order: NodeProto[] = []
  while (pending.length > 0) {
    const before = order.length
    const rest: NodeProto[] = []
    for (const node of pending) {
      if (node.input.every((i) => available.has(i))) {
        order.push(node)
        for (const o of node.output) available.add(o)
      } else {
        rest.push(node)
      }
    }
    if (order.length === before) {
      const stuck = rest[0]
      const missing = stuck?.input.find((i) => !available.has(i))
      throw new Error(
        `the graph is not a DAG or reads an undefined value: node ${stuck?.name ?? '?'} (${stuck?.opType ?? '?'}) needs ${missing ?? '?'}`,
      )
    }
    pending.splice(0, pending.length, ...rest)
  }
  return order
}

/** Float values that depend on one of `wrt` through float values. */
export function activeValues(
  order: readonly NodeProto[],
  wrt: readonly string[],
  info: (value: string) => ValueInfo,
): Set<string> {
  const active = new Set(wrt)
  for (const node of order) {
    if (!node.input.some((i) => active.has(i))) continue
    for (const o of node.output) if (o !== '' && isFloat(info(o).type)) active.add(o)
  }
  return active
}

/**
 * The nodes the backward pass visits, in reverse topological order: a node is needed when one
 * of its outputs is live (the loss output, or an active input of a needed node).
 */
export function neededNodes(
  order: readonly NodeProto[],
  active: ReadonlySet<string>,
  output: string,
): NodeProto[] {
  const live = new Set<string>(active.has(output) ? [output] : [])
  const needed: NodeProto[] = []
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k]
    if (node === undefined || !node.output.some((o) => live.has(o))) continue
    needed.push(node)
    for (const i of node.input) if (active.has(i)) live.add(i)
  }
  return needed
}

/**
 * Values fixed once the input shapes are: initializers that are not also inputs, Constant
 * outputs, Shape/Size outputs, and whatever is computed from those alone. Only these may be
 * frozen into the backward graph; an integer graph input (a timestep, token ids) has a probed
 * value too, but it changes from run to run.
 */
export function staticValues(graph: GraphProto, order: readonly NodeProto[]): Set<string> {
  const inputs = new Set(graph.input.map((i) => i.name))
  const fixed = new Set(graph.initializer.map((t) => t.name).filter((n) => !inputs.has(n)))
  for (const node of order) {
    const shapeOnly = node.opType === 'Shape' || node.opType === 'Size'
    if (shapeOnly || node.input.every((i) => i === '' || fixed.has(i))) {
      for (const o of node.output) if (o !== '') fixed.add(o)
    }
  }
  return fixed
}

/**
 * The values of one-element constants: inline initializers that are not graph inputs, and
 * Constant nodes (`value` or `value_float`). Rules use them to pick cheaper forms for
 * constant exponents and the like; anything computed at run time is absent.
 */
export function constantScalars(graph: GraphProto): Map<string, number> {
  const out = new Map<string, number>()
  const inputs = new Set(graph.input.map((i) => i.name))
  const read = (t: TensorProto): number | undefined => {
    if (isExternal(t) || elementCount(dimsToNumbers(t.dims)) !== 1) return undefined
    const data = decodeInlineTensor(t) as ArrayLike<number | bigint>
    return data.length === 1 ? Number(data[0]) : undefined
  }
  for (const t of graph.initializer) {
    const v = inputs.has(t.name) ? undefined : read(t)
    if (v !== undefined) out.set(t.name, v)
  }
  for (const node of graph.node) {
    if (node.opType !== 'Constant' || node.output[0] === undefined) continue
    const a = node.attribute[0]
    if (node.attribute.length !== 1 || a === undefined) continue
    const v = a.name === 'value' && a.t !== undefined ? read(a.t) : a.name === 'value_float' ? a.f : undefined
    if (v !== undefined) out.set(node.output[0], v)
  }
  return out
}
