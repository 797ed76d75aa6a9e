/**
 * A small imperative builder for ONNX graphs: the tiny model generator uses it to emit the op
 * patterns real exporters produce, and the autodiff will use it to emit backward graphs.
 * Values are plain strings (their ONNX names); the builder only keeps names unique.
 */
import { create } from '@bufbuild/protobuf'
import {
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf'
import type {
  ModelProto,
  NodeProto,
  TensorProto,
  TensorProto_DataType,
  ValueInfoProto,
} from 'onnx-buf'
import { makeAttribute } from './attributes'
import type { Attrs } from './attributes'
import { makeTensorProto, onnxDataType } from './tensor-proto'
import type { DType, TensorData } from './tensor-proto'

/** A dimension: a fixed size, or a symbolic name such as 'batch' that ORT leaves free. */
export type Dim = number | string

export interface GraphBuilderOptions {
  graphName?: string
  /** Default-domain opset (default 14, what SD exports use; 17 adds LayerNormalization). */
  opset?: number
  /** Default 8, the IR version that goes with opsets 14–17. */
  irVersion?: number
  producerName?: string
  producerVersion?: string
  extraOpsets?: readonly { domain: string; version: number }[]
}

export interface NodeOptions {
  /** Node name; defaults to `${opType}_${n}`, made unique either way. */
  name?: string
  /** Output count (named `${node}_output_${i}`) or explicit output names. Default 1. */
  outputs?: number | readonly string[]
  attrs?: Attrs
  domain?: string
}

export class GraphBuilder {
  readonly opset: number
  private readonly options: GraphBuilderOptions
  private readonly nodes: NodeProto[] = []
  private readonly inputs: ValueInfoProto[] = []
  private readonly outputs: ValueInfoProto[] = []
  private readonly initializers: TensorProto[] = []
  private readonly values = new Namespace()
  private readonly nodeNames = new Namespace()
  private counter = 0

  constructor(options: GraphBuilderOptions = {}) {
    this.options = options
    this.opset = options.opset ?? 14
  }

  /** A fresh number from one sequence, like the numbering in `onnx::MatMul_1234`. */
  nextId(): number {
    return this.counter++
  }

  /**
   * Reserves `base`, or `base_1`, `base_2`… if taken (the exporters' convention). The reserved
   * name can then be given to `input`, `initializer` or a node's outputs.
   */
  uniqueValueName(base: string): string {
    return this.values.reserve(base)
  }

  /** Reserves a node name the same way; pass it as `NodeOptions.name`. */
  uniqueNodeName(base: string): string {
    return this.nodeNames.reserve(base)
  }

  input(name: string, dtype: DType, dims: readonly Dim[]): string {
    this.declare(name)
    this.inputs.push(valueInfo(name, onnxDataType(dtype), dims))
    return name
  }

  /** Marks an existing value (usually a node output named for the purpose) as a graph output. */
  output(name: string, dtype: DType, dims: readonly Dim[]): void {
    if (!this.values.isDefined(name))
      throw new Error(`graph output ${name} is not produced by any node`)
    this.outputs.push(valueInfo(name, onnxDataType(dtype), dims))
  }

  /** Adds an initializer that takes over `data`'s memory; returns its (unique) name. */
  initializer(
    data: TensorData,
    dims: readonly number[],
    options: { name?: string; dataType?: TensorProto_DataType } = {},
  ): string {
    const tensor = makeTensorProto(
      options.name ?? `init_${this.nextId()}`,
      dims,
      data,
      options.dataType,
    )
    this.declare(tensor.name)
    this.initializers.push(tensor)
    return tensor.name
  }

  /** Adds a node; returns its output names. Use '' in `inputs` for a skipped optional input. */
  node(opType: string, inputs: readonly string[], options: NodeOptions = {}): string[] {
    for (const input of inputs) {
      if (input !== '' && !this.values.isDefined(input)) {
        throw new Error(`${opType} node reads ${input}, which is not defined yet`)
      }
    }
    const spec = options.outputs ?? 1
    if (typeof spec !== 'number') {
      const taken = spec.find((o) => this.values.isDefined(o))
      if (taken !== undefined) throw new Error(`value name ${taken} is already used`)
    }
    const name = this.nodeNames.take(options.name ?? `${opType}_${this.nextId()}`)
    const outputs =
      typeof spec === 'number'
        ? Array.from({ length: spec }, (_, i) => this.values.reserve(`${name}_output_${i}`))
        : [...spec]
    for (const o of outputs) this.declare(o)
    this.nodes.push(
      create(NodeProtoSchema, {
        input: [...inputs],
        output: outputs,
        name,
        opType,
        ...(options.domain === undefined ? {} : { domain: options.domain }),
        attribute: Object.entries(options.attrs ?? {}).map(([k, v]) => makeAttribute(k, v)),
      }),
    )
    return outputs
  }

  /** A single-output node: returns that output's name. */
  op(
    opType: string,
    inputs: readonly string[],
    options: Omit<NodeOptions, 'outputs'> & { output?: string } = {},
  ): string {
    const { output, ...rest } = options
    const [out] = this.node(opType, inputs, {
      ...rest,
      outputs: output === undefined ? 1 : [output],
    })
    if (out === undefined) throw new Error(`node ${opType} produced no output`)
    return out
  }

  build(): ModelProto {
    const opsets = [{ domain: '', version: this.opset }, ...(this.options.extraOpsets ?? [])]
    return create(ModelProtoSchema, {
      irVersion: BigInt(this.options.irVersion ?? 8),
      producerName: this.options.producerName ?? 'realera',
      ...(this.options.producerVersion === undefined
        ? {}
        : { producerVersion: this.options.producerVersion }),
      opsetImport: opsets.map((o) =>
        create(OperatorSetIdProtoSchema, { domain: o.domain, version: BigInt(o.version) }),
      ),
      graph: create(GraphProtoSchema, {
        name: this.options.graphName ?? 'main_graph',
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      }),
    })
  }

  private declare(name: string): void {
    if (!this.values.define(name)) throw new Error(`value name ${name} is already used`)
  }
}

/** Names in use (defined) or promised (reserved but not yet defined). */
class Namespace {
  private readonly defined = new Set<string>()
  private readonly reserved = new Set<string>()
  private readonly suffixes = new Map<string, number>()

  isDefined(name: string): boolean {
    return this.defined.has(name)
  }

  reserve(base: string): string {
    let name = base
    let n = this.suffixes.get(base) ?? 0
    while (this.taken(name)) name = `${base}_${++n}`
    if (n > 0) this.suffixes.set(base, n)
    this.reserved.add(name)
    return name
  }

  /** Defines a name; false if it is already defined. */
  define(name: string): boolean {
    if (this.defined.has(name)) return false
    this.reserved.delete(name)
    this.defined.add(name)
    return true
  }

  /** Defines `name` if it was reserved, else the first free name made from it. */
  take(name: string): string {
    const chosen = this.reserved.has(name) ? name : this.reserve(name)
    this.define(chosen)
    return chosen
  }

  private taken(name: string): boolean {
    return this.defined.has(name) || this.reserved.has(name)
  }
}

function valueInfo(
  name: string,
  elemType: TensorProto_DataType,
  dims: readonly Dim[],
): ValueInfoProto {
  const dim = dims.map((d) =>
    create(TensorShapeProto_DimensionSchema, {
      value:
        typeof d === 'number'
          ? { case: 'dimValue', value: BigInt(d) }
          : { case: 'dimParam', value: d },
    }),
  )
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType,
          shape: create(TensorShapeProtoSchema, { dim }),
        }),
      },
    }),
  })
}
