/**
 * Typed array ⇄ TensorProto conversion. Values always travel as little-endian `raw_data` when we
 * write (what exporters emit), while reading also accepts the typed repeated fields
 * (`float_data`, `int64_data`, …) that older tools and hand-made models use.
 */
import { clearField, create } from '@bufbuild/protobuf'
import { TensorProtoSchema, TensorProto_DataType } from 'onnx-buf'
import type { TensorProto } from 'onnx-buf'

/**
 * The element storage we hand out. float16 and bfloat16 come back as raw `Uint16Array` bits:
 * converting them silently would double memory for fp16 checkpoints; use
 * {@link float16BitsToFloat32} when you need numbers.
 */
export type TensorData =
  Float32Array | Float64Array | Int32Array | BigInt64Array | Uint16Array | Int8Array | Uint8Array

/** Short dtype names used by the graph builder and in error messages. */
export type DType =
  'float32' | 'float16' | 'float64' | 'int32' | 'int64' | 'int8' | 'uint8' | 'bool'

/** An initializer's value, detached from the protobuf message. */
export interface TensorValue {
  dims: number[]
  dataType: TensorProto_DataType
  data: TensorData
}

const DTYPE_TO_ONNX: Readonly<Record<DType, TensorProto_DataType>> = {
  float32: TensorProto_DataType.FLOAT,
  float16: TensorProto_DataType.FLOAT16,
  float64: TensorProto_DataType.DOUBLE,
  int32: TensorProto_DataType.INT32,
  int64: TensorProto_DataType.INT64,
  int8: TensorProto_DataType.INT8,
  uint8: TensorProto_DataType.UINT8,
  bool: TensorProto_DataType.BOOL,
}

export function onnxDataType(dtype: DType): TensorProto_DataType {
  return DTYPE_TO_ONNX[dtype]
}

export function dataTypeName(dataType: number): string {
  return TensorProto_DataType[dataType] ?? `data type ${dataType}`
}

interface ElementLayout {
  size: number
  /** A typed array over little-endian bytes (offset aligned to `size`). */
  view: (buffer: ArrayBufferLike, byteOffset: number, length: number) => TensorData
  /** The values from the typed repeated field ONNX defines for this type. */
  fromFields: (t: TensorProto) => TensorData
}

const T = TensorProto_DataType
const halfLayout: ElementLayout = {
  size: 2,
  view: (b, o, n) => new Uint16Array(b, o, n),
  fromFields: (t) => Uint16Array.from(t.int32Data),
}
const byteLayout: ElementLayout = {
  size: 1,
  view: (b, o, n) => new Uint8Array(b, o, n),
  fromFields: (t) => Uint8Array.from(t.int32Data),
}

/** The element types we read and write; strings and sub-byte types are not needed for SD. */
const LAYOUTS: ReadonlyMap<number, ElementLayout> = new Map<number, ElementLayout>([
  [
    T.FLOAT,
    {
      size: 4,
      view: (b, o, n) => new Float32Array(b, o, n),
      fromFields: (t) => Float32Array.from(t.floatData),
    },
  ],
  [
    T.DOUBLE,
    {
      size: 8,
      view: (b, o, n) => new Float64Array(b, o, n),
      fromFields: (t) => Float64Array.from(t.doubleData),
    },
  ],
  [
    T.INT32,
    {
      size: 4,
      view: (b, o, n) => new Int32Array(b, o, n),
      fromFields: (t) => Int32Array.from(t.int32Data),
    },
  ],
  [
    T.INT64,
    {
      size: 8,
      view: (b, o, n) => new BigInt64Array(b, o, n),
      fromFields: (t) => BigInt64Array.from(t.int64Data),
    },
  ],
  [
    T.INT8,
    {
      size: 1,
      view: (b, o, n) => new Int8Array(b, o, n),
      fromFields: (t) => Int8Array.from(t.int32Data),
    },
  ],
  [T.FLOAT16, halfLayout],
  [T.BFLOAT16, halfLayout],
  [T.UINT16, halfLayout],
  [T.UINT8, byteLayout],
  [T.BOOL, byteLayout],
])

function layout(dataType: number, name: string): ElementLayout {
  const found = LAYOUTS.get(dataType)
  if (found === undefined)
    throw new Error(`tensor ${name}: unsupported type ${dataTypeName(dataType)}`)
  return found
}

/** Bytes per element for the types we can read, or undefined for the rest (strings, 4-bit…). */
export function elementSize(dataType: number): number | undefined {
  return LAYOUTS.get(dataType)?.size
}

/** The data type a typed array means when the caller does not say (Uint16Array = float16). */
export function defaultDataType(data: TensorData): TensorProto_DataType {
  if (data instanceof Float32Array) return TensorProto_DataType.FLOAT
  if (data instanceof Float64Array) return TensorProto_DataType.DOUBLE
  if (data instanceof Int32Array) return TensorProto_DataType.INT32
  if (data instanceof BigInt64Array) return TensorProto_DataType.INT64
  if (data instanceof Uint16Array) return TensorProto_DataType.FLOAT16
  if (data instanceof Int8Array) return TensorProto_DataType.INT8
  return TensorProto_DataType.UINT8
}

export function dimsToNumbers(dims: readonly bigint[]): number[] {
  return dims.map((d) => Number(d))
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1)
}

/** Byte length of a tensor's payload, from its dims and type. */
export function tensorByteLength(tensor: TensorProto): number {
  const size = elementSize(tensor.dataType)
  if (size === undefined) {
    throw new Error(`tensor ${tensor.name} has unsupported type ${dataTypeName(tensor.dataType)}`)
  }
  return elementCount(dimsToNumbers(tensor.dims)) * size
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
if (!LITTLE_ENDIAN) throw new Error('ONNX raw_data handling needs a little-endian CPU')

/** A byte view of a typed array (no copy): what goes into raw_data. */
export function bytesOf(data: TensorData): Uint8Array<ArrayBuffer> {
  return new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength)
}

/**
 * Builds a TensorProto holding `data` as raw_data. The tensor shares the array's memory, so the
 * caller hands the array over; this is what keeps multi-GB models from existing twice.
 */
export function makeTensorProto(
  name: string,
  dims: readonly number[],
  data: TensorData,
  dataType: TensorProto_DataType = defaultDataType(data),
): TensorProto {
  const size = elementSize(dataType)
  if (size === undefined || size !== data.BYTES_PER_ELEMENT) {
    throw new Error(
      `tensor ${name}: ${data.constructor.name} cannot hold ${dataTypeName(dataType)} values`,
    )
  }
  if (elementCount(dims) !== data.length) {
    throw new Error(`tensor ${name}: dims [${dims.join(', ')}] do not match ${data.length} values`)
  }
  return create(TensorProtoSchema, {
    dims: dims.map((d) => BigInt(d)),
    dataType,
    name,
    rawData: bytesOf(data),
  })
}

/**
 * Little-endian bytes as a typed array of the tensor's type. By default the bytes are copied
 * (the result must not alias a message); `owned` lets a fresh, aligned buffer be used as is.
 */
export function typedArrayFromBytes(
  dataType: number,
  bytes: Uint8Array,
  name = '',
  owned = false,
): TensorData {
  const { size, view } = layout(dataType, name)
  if (bytes.byteLength % size !== 0) {
    throw new Error(
      `tensor ${name}: cannot read ${bytes.byteLength} bytes as ${dataTypeName(dataType)}`,
    )
  }
  const src = owned && bytes.byteOffset % size === 0 ? bytes : new Uint8Array(bytes)
  return view(src.buffer, src.byteOffset, src.byteLength / size)
}

/**
 * Reads the values stored inside the message (raw_data or the typed repeated fields). External
 * tensors are the caller's business: see `readInitializer` in model-io.ts.
 */
export function decodeInlineTensor(tensor: TensorProto): TensorData {
  const { name, dataType } = tensor
  if (tensor.rawData.byteLength > 0 || elementCount(dimsToNumbers(tensor.dims)) === 0) {
    return typedArrayFromBytes(dataType, tensor.rawData, name)
  }
  return layout(dataType, name).fromFields(tensor)
}

/** The tensor's payload as little-endian bytes (a view when it already is raw_data). */
export function inlineTensorBytes(tensor: TensorProto): Uint8Array<ArrayBuffer> {
  if (tensor.rawData.byteLength > 0) return tensor.rawData
  return bytesOf(decodeInlineTensor(tensor))
}

/**
 * Drops every inline payload field, e.g. before pointing the tensor at external data. raw_data
 * is unset rather than emptied: proto2 would still write an empty field, and onnx's checker
 * rejects external tensors that carry any data field.
 */
export function clearTensorPayload(tensor: TensorProto): void {
  clearField(tensor, TensorProtoSchema.field.rawData)
  tensor.floatData = []
  tensor.doubleData = []
  tensor.int32Data = []
  tensor.int64Data = []
  tensor.uint64Data = []
  tensor.stringData = []
}

const F32 = new Float32Array(1)
const U32 = new Uint32Array(F32.buffer)

/** IEEE float32 → float16 bits, round to nearest even, with overflow to ±inf and subnormals. */
export function float32ToFloat16Bits(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length)
  for (let i = 0; i < values.length; i++) out[i] = halfBits(values[i] ?? 0)
  return out
}

function halfBits(value: number): number {
  F32[0] = value
  const x = U32[0] ?? 0
  const sign = (x >>> 16) & 0x8000
  const exp = (x >>> 23) & 0xff
  let mant = x & 0x7fffff
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0)
  const e = exp - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00
  if (e <= 0) {
    if (e < -10) return sign
    mant |= 0x800000
    const shift = 14 - e
    const half = 1 << (shift - 1)
    let bits = mant >>> shift
    const rest = mant & ((1 << shift) - 1)
    if (rest > half || (rest === half && (bits & 1) === 1)) bits++
    return sign | bits
  }
  let bits = (e << 10) | (mant >>> 13)
  const rest = mant & 0x1fff
  if (rest > 0x1000 || (rest === 0x1000 && (bits & 1) === 1)) bits++
  return sign | bits
}

/** float16 bits → float32 values. */
export function float16BitsToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length)
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i] ?? 0
    const sign = h & 0x8000 ? -1 : 1
    const exp = (h >>> 10) & 0x1f
    const mant = h & 0x3ff
    if (exp === 0) out[i] = sign * mant * 2 ** -24
    else if (exp === 0x1f) out[i] = mant === 0 ? sign * Infinity : NaN
    else out[i] = sign * (1 + mant / 1024) * 2 ** (exp - 15)
  }
  return out
}
