/**
 * Lookups a graph rewrite needs: who produces and who reads each value, and the values of small
 * constants (inline initializers and Constant nodes). Built once over node copies the rewrite
 * may edit, and kept current by the rewrite through `replaceUses`, `removeNode` and `addNode`.
 */
import { AttributeProto_AttributeType, TensorProto_DataType } from 'onnx-buf'
import type { GraphProto, NodeProto, TensorProto } from 'onnx-buf'
import { isExternal } from '../external-data'
import { decodeInlineTensor, dimsToNumbers } from '../tensor-proto'
import type { TensorData } from '../tensor-proto'

/** A constant's value: dims, ONNX data type and elements (float16 as raw bits). */
export interface ConstValue {
  readonly dims: readonly number[]
  readonly dataType: TensorProto_DataType
  readonly data: TensorData | readonly number[]
}

export class GraphIndex {
  readonly producer = new Map<string, NodeProto>()
  readonly consumers = new Map<string, Set<NodeProto>>()
  readonly initializers = new Map<string, TensorProto>()
  readonly graphInputs: ReadonlySet<string>
  readonly graphOutputs: ReadonlySet<string>
  /** The live nodes, in graph order; removed nodes are dropped, added ones appended. */
  readonly nodes: Set<NodeProto>

  /** `nodes` are the graph's nodes (or copies the caller is free to edit). */
  constructor(
    readonly graph: GraphProto,
    nodes: readonly NodeProto[],
  ) {
    this.nodes = new Set(nodes)
    for (const t of graph.initializer) this.initializers.set(t.name, t)
    this.graphInputs = new Set(graph.input.map((i) => i.name))
    this.graphOutputs = new Set(graph.output.map((o) => o.name))
    for (const n of nodes) this.link(n)
  }

  /** Readers of `value` besides the graph outputs. */
  uses(value: string): number {
    return this.consumers.get(value)?.size ?? 0
  }

  /** Whether anything still needs `value`: a node, or the graph's outputs. */
  isLive(value: string): boolean {
    return this.uses(value) > 0 || this.graphOutputs.has(value)
  }

  /** Makes every reader of `from` read `to` instead (graph outputs are the caller's concern). */
  replaceUses(from: string, to: string): void {
    for (const n of this.consumers.get(from) ?? []) {
      n.input = n.input.map((i) => (i === from ? to : i))
      const readers = this.consumers.get(to)
      if (readers === undefined) this.consumers.set(to, new Set([n]))
      else readers.add(n)
    }
    this.consumers.delete(from)
  }

  removeNode(node: NodeProto): void {
    this.nodes.delete(node)
    for (const i of node.input) this.consumers.get(i)?.delete(node)
    for (const o of node.output) if (this.producer.get(o) === node) this.producer.delete(o)
  }

  addNode(node: NodeProto): void {
    this.nodes.add(node)
    this.link(node)
  }

  /**
   * The value of a constant: an inline initializer that is not also a graph input (those can
   * be overridden at run time), or a Constant node's output.
   */
  constant(value: string): ConstValue | undefined {
    const init = this.initializers.get(value)
    if (init !== undefined) {
      if (this.graphInputs.has(value) || isExternal(init)) return undefined
      return tensorValue(init)
    }
    const node = this.producer.get(value)
    if (node?.opType !== 'Constant' || (node.domain !== '' && node.domain !== 'ai.onnx')) return
    const a = node.attribute[0]
    if (node.attribute.length !== 1 || a === undefined) return undefined
    switch (a.name) {
      case 'value':
        return a.t === undefined ? undefined : tensorValue(a.t)
      case 'value_float':
        return { dims: [], dataType: TensorProto_DataType.FLOAT, data: [a.f] }
      case 'value_floats':
        return { dims: [a.floats.length], dataType: TensorProto_DataType.FLOAT, data: a.floats }
      case 'value_int':
        return { dims: [], dataType: TensorProto_DataType.INT64, data: [Number(a.i)] }
      case 'value_ints':
        return {
          dims: [a.ints.length],
          dataType: TensorProto_DataType.INT64,
          data: a.ints.map(Number),
        }
      default:
        return undefined
    }
  }

  /** Integer constants as numbers (shapes, axes, indices); undefined for anything else. */
  intConstant(value: string): { dims: readonly number[]; values: number[] } | undefined {
    const c = this.constant(value)
    if (c === undefined) return undefined
    if (c.dataType !== TensorProto_DataType.INT64 && c.dataType !== TensorProto_DataType.INT32)
      return undefined
    return { dims: c.dims, values: Array.from(c.data, Number) }
  }

  /** Whether any node carries a subgraph (If, Loop, Scan), which may read outer values. */
  hasSubgraphs(): boolean {
    for (const n of this.nodes) {
      for (const a of n.attribute) {
        if (
          a.type === AttributeProto_AttributeType.GRAPH ||
          a.type === AttributeProto_AttributeType.GRAPHS
        )
          return true
      }
    }
    return false
  }

  private link(n: NodeProto): void {
    for (const i of n.input) {
      if (i === '') continue
      const set = this.consumers.get(i)
      if (set === undefined) this.consumers.set(i, new Set([n]))
      else set.add(n)
    }
    for (const o of n.output) if (o !== '') this.producer.set(o, n)
  }
}

/** An inline tensor's value, or undefined for types we cannot read (never provably constant). */
export function tensorValue(t: TensorProto): ConstValue | undefined {
  try {
    return { dims: dimsToNumbers(t.dims), dataType: t.dataType, data: decodeInlineTensor(t) }
  } catch {
    return undefined
  }
}

/** Whether every element is zero (±0 counts; NaN does not), for any numeric type. */
export function isAllZero(c: ConstValue): boolean {
  const half =
    c.dataType === TensorProto_DataType.FLOAT16 || c.dataType === TensorProto_DataType.BFLOAT16
  for (const v of c.data) {
    if (typeof v === 'bigint') {
      if (v !== 0n) return false
    } else if (half ? (v & 0x7fff) !== 0 : v !== 0) {
      return false
    }
  }
  return true
}
