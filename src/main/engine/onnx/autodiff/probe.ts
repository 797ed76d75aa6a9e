/**
 * The probe run: one forward pass on real feeds that records every value's static shape and
 * element type, and the values of small integer tensors (shape sub-graphs, axes, indices). The
 * backward graph is then built for exactly these shapes.
 *
 * Values are read by adding graph outputs, a bounded number of values per run (chunks). Each
 * probed value X contributes two tiny outputs instead of X itself: `Shape(X)` and the first
 * `maxIntElements` elements of X flattened (its element type, and the whole value when X is a
 * small integer tensor). Asking ONNX Runtime for X itself would keep every requested
 * intermediate alive and copy it out: an SD1.5 U-Net at 64×64 has 1 GiB attention scores. The
 * probe nodes are placed right after the node producing X, so X is freed as in a plain run.
 */
import { create } from '@bufbuild/protobuf'
import {
  NodeProtoSchema,
  TensorProto_DataType,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf'
import type { ModelProto, NodeProto, TensorProto, ValueInfoProto } from 'onnx-buf'
import type * as ort from 'onnxruntime-node'
import { isExternal } from '../external-data'
import { decodeInlineTensor, dimsToNumbers, elementCount, makeTensorProto } from '../tensor-proto'
import { openModelSession } from './session'
import type { ModelSessionOptions } from './session'
import type { ElemType, ValueInfo } from './types'

export interface ProbeResult {
  /** Shape and element type of every graph input, initializer and node output. */
  readonly values: ReadonlyMap<string, ValueInfo>
  /** Values of the integer tensors with at most `maxIntElements` elements. */
  readonly ints: ReadonlyMap<string, readonly number[]>
  /** How many forward runs the probe took. */
  readonly runs: number
}

export interface ProbeOptions extends ModelSessionOptions {
  /** Values probed per forward run (default 1024; each adds two tiny outputs). */
  maxValuesPerRun?: number
  /** Integer tensors up to this many elements have their values recorded (default 256). */
  maxIntElements?: number
}

/** Runs the forward graph on `feeds` (one per graph input) and records every value's facts. */
export async function probeModel(
  model: ModelProto,
  feeds: Readonly<Record<string, ort.Tensor>>,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const graph = model.graph
  if (graph === undefined) throw new Error('the model has no graph')
  const maxValues = Math.max(1, options.maxValuesPerRun ?? 1024)
  const maxInts = Math.max(1, options.maxIntElements ?? 256)
  const values = new Map<string, ValueInfo>()
  const ints = new Map<string, readonly number[]>()

  for (const t of graph.initializer) recordInitializer(t, maxInts, values, ints)
  const inputFeeds: Record<string, ort.Tensor> = {}
  const missing: string[] = []
  for (const input of graph.input) {
    const feed = feeds[input.name]
    if (feed === undefined) {
      if (!values.has(input.name)) missing.push(input.name)
      continue
    }
    inputFeeds[input.name] = feed
    const type = elemTypeOf(feed.type)
    values.set(input.name, { shape: [...feed.dims], type })
    if (isInt(type) && feed.size <= maxInts)
      ints.set(input.name, Array.from(feed.data as ArrayLike<number | bigint>, Number))
    else ints.delete(input.name)
  }
  if (missing.length > 0) throw new Error(`the probe run needs a feed for: ${missing.join(', ')}`)

  const produced = graph.node.flatMap((n) => n.output.filter((o) => o !== ''))
  let runs = 0
  for (let start = 0; start < produced.length; start += maxValues) {
    const chunk = produced.slice(start, start + maxValues)
    const { probe, outputs } = probeGraph(model, new Set(chunk), maxInts)
    const { session, dispose } = await openModelSession(probe, process.env.PROBE_PROFILE ? { ...options, sessionOptions: { ...options.sessionOptions, enableProfiling: true, profileFilePrefix: '/tmp/ad/prof' } } : options)
    try {
      const result = await session.run(inputFeeds)
      runs++
      for (const [value, names] of outputs) {
        const shape = result[names.shape]
        const head = result[names.head]
        if (shape === undefined || head === undefined) throw new Error(`the probe lost ${value}`)
        const dims = Array.from(shape.data as BigInt64Array, Number)
        const type = elemTypeOf(head.type)
        values.set(value, { shape: dims, type })
        if (isInt(type) && elementCount(dims) <= maxInts) {
          ints.set(value, Array.from(head.data as ArrayLike<number | bigint>, Number))
        }
      }
    } finally {
      await dispose()
    }
  }
  return { values, ints, runs }
}

interface ProbeNames {
  readonly shape: string
  readonly head: string
}

/** The forward graph with `Shape(X)` and `head(X)` outputs for every X in `chunk`. */
function probeGraph(
  model: ModelProto,
  chunk: ReadonlySet<string>,
  maxInts: number,
): { probe: ModelProto; outputs: Map<string, ProbeNames> } {
  const graph = model.graph
  if (graph === undefined) throw new Error('the model has no graph')
  const taken = new Set<string>()
  for (const n of graph.node) for (const o of n.output) taken.add(o)
  for (const v of [...graph.input, ...graph.initializer]) taken.add(v.name)
  let counter = 0
  const fresh = (base: string): string => {
    let name = `${base}#probe`
    while (taken.has(name)) name = `${base}#probe${++counter}`
    taken.add(name)
    return name
  }
  const flat = fresh('flat')
  const zero = fresh('zero')
  const end = fresh('end')
  const constants: TensorProto[] = [
    makeTensorProto(flat, [1], BigInt64Array.of(-1n)),
    makeTensorProto(zero, [1], BigInt64Array.of(0n)),
    makeTensorProto(end, [1], BigInt64Array.of(BigInt(maxInts))),
  ]
  const outputs = new Map<string, ProbeNames>()
  const groups: NodeProto[][] = []
  const node = (opType: string, input: string[], output: string): NodeProto =>
    create(NodeProtoSchema, { opType, input, output: [output], name: output })
  const kept = ancestors(graph.node, chunk)
  for (const n of kept) {
    for (const value of n.output) {
      if (value === '' || !chunk.has(value)) continue
      const names = { shape: fresh(`${value}/shape`), head: fresh(`${value}/head`) }
      const flattened = fresh(`${value}/flat`)
      groups.push([
        node('Shape', [value], names.shape),
        node('Reshape', [value, flat], flattened),
        node('Slice', [flattened, zero, end, zero], names.head),
      ])
      outputs.set(value, names)
    }
  }
  // ORT orders execution by a reverse DFS from the leaf nodes, taking the last leaf first. The
  // probe nodes are the leaves, so listing them in reverse makes ORT run each right after the
  // value it reads; in graph order, every probed value would be kept alive to the very end.
  const nodes = [...kept, ...groups.reverse().flat()]
  const declared: ValueInfoProto[] = [...outputs.values()].flatMap((o) => [
    create(ValueInfoProtoSchema, { name: o.shape }),
    create(ValueInfoProtoSchema, { name: o.head }),
  ])
  const probe: ModelProto = {
    ...model,
    graph: {
      ...graph,
      node: nodes,
      initializer: [...graph.initializer, ...constants],
      output: declared,
      valueInfo: [],
    },
  }
  return { probe, outputs }
}

/** The nodes needed to compute `values`, in graph order (the rest of the graph is left out). */
function ancestors(nodes: readonly NodeProto[], values: ReadonlySet<string>): NodeProto[] {
  const wanted = new Set(values)
  const kept: NodeProto[] = []
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]
    if (n === undefined || !n.output.some((o) => wanted.has(o))) continue
    kept.push(n)
    for (const input of n.input) wanted.add(input)
  }
  return kept.reverse()
}

function recordInitializer(
  t: TensorProto,
  maxInts: number,
  values: Map<string, ValueInfo>,
  ints: Map<string, readonly number[]>,
): void {
  const shape = dimsToNumbers(t.dims)
  const type = elemTypeOfOnnx(t.dataType)
  values.set(t.name, { shape, type })
  if (isInt(type) && !isExternal(t) && elementCount(shape) <= maxInts) {
    ints.set(t.name, Array.from(decodeInlineTensor(t) as ArrayLike<number | bigint>, Number))
  }
}

function isInt(type: ElemType): boolean {
  return type === 'int64' || type === 'int32'
}

const ORT_TYPES: Readonly<Partial<Record<string, ElemType>>> = {
  float32: 'float32',
  float64: 'float64',
  float16: 'float16',
  int64: 'int64',
  int32: 'int32',
  bool: 'bool',
}

export function elemTypeOf(type: ort.Tensor.Type): ElemType {
  return ORT_TYPES[type] ?? 'other'
}

const ONNX_TYPES: ReadonlyMap<number, ElemType> = new Map([
  [TensorProto_DataType.FLOAT, 'float32'],
  [TensorProto_DataType.DOUBLE, 'float64'],
  [TensorProto_DataType.FLOAT16, 'float16'],
  [TensorProto_DataType.INT64, 'int64'],
  [TensorProto_DataType.INT32, 'int32'],
  [TensorProto_DataType.BOOL, 'bool'],
])

export function elemTypeOfOnnx(dataType: number): ElemType {
  return ONNX_TYPES.get(dataType) ?? 'other'
}

const TO_ONNX: Readonly<Record<Exclude<ElemType, 'other'>, TensorProto_DataType>> = {
  float32: TensorProto_DataType.FLOAT,
  float64: TensorProto_DataType.DOUBLE,
  float16: TensorProto_DataType.FLOAT16,
  int64: TensorProto_DataType.INT64,
  int32: TensorProto_DataType.INT32,
  bool: TensorProto_DataType.BOOL,
}

export function onnxTypeOf(type: ElemType): TensorProto_DataType {
  if (type === 'other') throw new Error('no ONNX data type for an unsupported element type')
  return TO_ONNX[type]
}

/** A graph input/output declaration with a fixed shape. */
export function staticValueInfo(name: string, info: ValueInfo): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType: onnxTypeOf(info.type),
          shape: create(TensorShapeProtoSchema, {
            dim: info.shape.map((d) =>
              create(TensorShapeProto_DimensionSchema, {
                value: { case: 'dimValue', value: BigInt(d) },
              }),
            ),
          }),
        }),
      },
    }),
  })
}
