/**
 * Collects the nodes and constants the autodiff adds to a forward graph. Names are made unique
 * against every forward name, and grouped under the forward node they differentiate
 * (`grad/<node>/<Op>`), so a profile or an ORT error points back at the forward op.
 * Small constants are shared: a U-Net backward pass asks for the same axes and scalars hundreds
 * of times.
 */
import { create } from '@bufbuild/protobuf'
import { NodeProtoSchema, TensorProto_DataType } from 'onnx-buf'
import type { NodeProto, TensorProto } from 'onnx-buf'
import { makeAttribute } from '../attributes'
import type { Attrs } from '../attributes'
import { float32ToFloat16Bits, makeTensorProto } from '../tensor-proto'
import type { ElemType } from './types'

/** Constants with at most this many elements are deduplicated. */
const SHARED_CONST_MAX = 16

export class Emitter {
  readonly nodes: NodeProto[] = []
  readonly initializers: TensorProto[] = []
  private readonly producers = new Map<string, NodeProto>()
  private readonly ints = new Map<string, readonly number[]>()
  private readonly taken: Set<string>
  private readonly suffix = new Map<string, number>()
  private readonly shared = new Map<string, string>()

  /** `taken`: every name already in the graph (values and nodes). */
  constructor(
    readonly opset: number,
    taken: Iterable<string>,
  ) {
    this.taken = new Set(taken)
  }

  /** `base`, or `base_1`, `base_2`… when taken; reserved on return. */
  fresh(base: string): string {
    let name = base
    let n = this.suffix.get(base) ?? 0
    while (this.taken.has(name)) name = `${base}_${++n}`
    this.suffix.set(base, n)
    this.taken.add(name)
    return name
  }

  /** The emitted node that produces `value`, if any. */
  producer(value: string): NodeProto | undefined {
    return this.producers.get(value)
  }

  /** The values of an int64 constant made by `intConst`. */
  intValues(value: string): readonly number[] | undefined {
    return this.ints.get(value)
  }

  /** Drops the emitted node producing `value` when no emitted node reads any of its outputs. */
  removeUnread(value: string): void {
    const node = this.producers.get(value)
    if (node === undefined) return
    if (this.nodes.some((n) => n.input.some((i) => node.output.includes(i)))) return
    this.nodes.splice(this.nodes.indexOf(node), 1)
    for (const o of node.output) this.producers.delete(o)
  }

  private add(node: NodeProto): void {
    this.nodes.push(node)
    for (const o of node.output) this.producers.set(o, node)
  }

  /** Emits one node under `scope`; returns its output names. */
  emit(
    scope: string,
    opType: string,
    inputs: readonly string[],
    outputs = 1,
    attrs: Attrs = {},
  ): string[] {
    const name = this.fresh(`${scope}/${opType}`)
    const out =
      outputs === 1
        ? [this.fresh(`${name}:0`)]
        : range(outputs).map((i) => this.fresh(`${name}:${i}`))
    this.add(
      create(NodeProtoSchema, {
        name,
        opType,
        input: [...inputs],
        output: out,
        attribute: Object.entries(attrs).map(([k, v]) => makeAttribute(k, v)),
      }),
    )
    return out
  }

  /** Emits one node whose outputs are the given (already reserved) names. */
  emitTo(
    scope: string,
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attrs: Attrs = {},
  ): void {
    this.add(
      create(NodeProtoSchema, {
        name: this.fresh(`${scope}/${opType}`),
        opType,
        input: [...inputs],
        output: [...outputs],
        attribute: Object.entries(attrs).map(([k, v]) => makeAttribute(k, v)),
      }),
    )
  }

  /** A copy of a forward node (same op and attributes) on other inputs; returns its first output. */
  like(scope: string, node: NodeProto, inputs: readonly string[]): string {
    const name = this.fresh(`${scope}/${node.opType}`)
    const output = this.fresh(`${name}:0`)
    this.add(
      create(NodeProtoSchema, {
        name,
        opType: node.opType,
        domain: node.domain,
        input: [...inputs],
        output: [output],
        attribute: [...node.attribute],
      }),
    )
    return output
  }

  /** A single-output node. */
  op(scope: string, opType: string, inputs: readonly string[], attrs: Attrs = {}): string {
    return first(this.emit(scope, opType, inputs, 1, attrs))
  }

  /** A float constant of `type` (float32, float64 or float16). */
  floatConst(values: readonly number[], dims: readonly number[], type: ElemType): string {
    return this.constant(`${type}`, values, dims, () => {
      switch (type) {
        case 'float32':
          return { data: Float32Array.from(values) }
        case 'float64':
          return { data: Float64Array.from(values) }
        case 'float16':
          return { data: float32ToFloat16Bits(values), dataType: TensorProto_DataType.FLOAT16 }
        case 'int64':
        case 'int32':
        case 'bool':
        case 'other':
          throw new Error(`cannot make a float constant of type ${type}`)
      }
    })
  }

  /** An int64 constant (shapes, axes). */
  intConst(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = this.constant('int64', values, dims, () => ({
      data: BigInt64Array.from(values, (v) => BigInt(v)),
    }))
    this.ints.set(name, [...values])
    return name
  }

  private constant(
    kind: string,
    values: readonly number[],
    dims: readonly number[],
    make: () => {
      data: Float32Array | Float64Array | Uint16Array | BigInt64Array
      dataType?: TensorProto_DataType
    },
  ): string {
    const key =
      values.length <= SHARED_CONST_MAX
        ? `${kind}|${dims.join(',')}|${values.join(',')}`
        : undefined
    const known = key === undefined ? undefined : this.shared.get(key)
    if (known !== undefined) return known
    const name = this.fresh(`grad/const/${kind}`)
    const { data, dataType } = make()
    this.initializers.push(makeTensorProto(name, dims, data, dataType))
    if (key !== undefined) this.shared.set(key, name)
    return name
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}

function first(values: readonly string[]): string {
  const v = values[0]
  if (v === undefined) throw new Error('node has no output')
  return v
}
