/**
 * safetensors: an 8-byte little-endian header length N, N bytes of JSON header, then the raw
 * little-endian tensor bytes. The header maps tensor names to `{ dtype, shape, data_offsets:
 * [begin, end] }` (offsets relative to the end of the header) and may hold `__metadata__`, a
 * map of strings. We own this reader/writer (no npm package handles metadata and writing), so
 * the reader is strict: every bound is checked before a byte is read.
 */
import { float16BitsToFloat32, float32ToFloat16Bits } from '../onnx/tensor-proto'

export type SafeDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32'

export interface SafeTensor {
  readonly dtype: SafeDType
  readonly shape: readonly number[]
  /** Raw little-endian bytes (exactly product(shape) × element size). */
  readonly data: Uint8Array
}

export interface SafeTensorsFile {
  readonly tensors: ReadonlyMap<string, SafeTensor>
  readonly metadata: Readonly<Record<string, string>>
}

const SIZES: Record<SafeDType, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4 }
/** Headers larger than this are refused (the format's own reference limit is 100 MB). */
const MAX_HEADER = 100_000_000

export class SafeTensorsError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SafeTensorsError'
  }
}

const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1)

export function encodeSafeTensors(tensors: ReadonlyMap<string, SafeTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {}
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata
  let offset = 0
  const names = [...tensors.keys()].sort()
  for (const name of names) {
    const t = tensors.get(name)!
    const bytes = count(t.shape) * SIZES[t.dtype]
    if (t.data.byteLength !== bytes) {
      throw new SafeTensorsError(`tensor ${name}: ${t.data.byteLength} bytes for shape [${t.shape.join(', ')}] ${t.dtype} (expected ${bytes})`)
    }
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] }
    offset += bytes
  }
  let json = JSON.stringify(header)
  // Pad the header with spaces so tensor data starts 8-byte aligned (as the Rust writer does).
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' '
  const headerBytes = Buffer.from(json, 'utf8')
  const out = new Uint8Array(8 + headerBytes.byteLength + offset)
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true)
  out.set(headerBytes, 8)
  let at = 8 + headerBytes.byteLength
  for (const name of names) {
    const t = tensors.get(name)!
    out.set(t.data, at)
    at += t.data.byteLength
  }
  return out
}

export function decodeSafeTensors(buf: Uint8Array, file = 'file'): SafeTensorsFile {
  const fail = (why: string): SafeTensorsError => new SafeTensorsError(`${file} is not a valid safetensors file: ${why}.`)
  if (buf.byteLength < 8) throw fail('shorter than its 8-byte header length')
  const n = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getBigUint64(0, true)
  if (n > BigInt(Math.min(MAX_HEADER, buf.byteLength - 8))) throw fail(`header length ${n} goes beyond the file (${buf.byteLength} bytes)`)
  const headerLen = Number(n)
  let header: unknown
  try {
    header = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + 8, headerLen).toString('utf8'))
  } catch {
    throw fail('the header is not JSON')
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw fail('the header is not a JSON object')
  const dataStart = 8 + headerLen
  const dataLen = buf.byteLength - dataStart
  const tensors = new Map<string, SafeTensor>()
  let metadata: Record<string, string> = {}
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail('__metadata__ is not an object')
      const m: Record<string, string> = {}
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') throw fail(`metadata ${k} is not a string`)
        m[k] = v
      }
      metadata = m
      continue
    }
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown }
    if (typeof info !== 'object' || info === null) throw fail(`tensor ${name} has no description`)
    const dtype = info.dtype
    if (typeof dtype !== 'string' || !(dtype in SIZES)) throw fail(`tensor ${name} has unsupported dtype ${String(dtype)}`)
    const shape = info.shape
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) throw fail(`tensor ${name} has an invalid shape`)
    const offs = info.data_offsets
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) {
      throw fail(`tensor ${name} has invalid data_offsets`)
    }
    const [begin, end] = offs as [number, number]
    const bytes = count(shape as number[]) * SIZES[dtype as SafeDType]
    if (end < begin || end > dataLen) throw fail(`tensor ${name}'s data [${begin}, ${end}) lies outside the file's ${dataLen} data bytes`)
    if (end - begin !== bytes) throw fail(`tensor ${name} holds ${end - begin} bytes but its shape needs ${bytes}`)
    tensors.set(name, { dtype: dtype as SafeDType, shape: shape as number[], data: buf.subarray(dataStart + begin, dataStart + end) })
  }
  return { tensors, metadata }
}

/** Float32 view of a tensor's values (converting F16/BF16/F64). */
export function toFloat32Array(t: SafeTensor): Float32Array {
  const n = count(t.shape)
  const dv = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength)
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    switch (t.dtype) {
      case 'F32':
        out[i] = dv.getFloat32(i * 4, true)
        break
      case 'F64':
        out[i] = dv.getFloat64(i * 8, true)
        break
      case 'F16':
        out[i] = float16BitsToFloat32(Uint16Array.of(dv.getUint16(i * 2, true)))[0]!
        break
      case 'BF16':
        out[i] = bf16ToFloat(dv.getUint16(i * 2, true))
        break
      case 'I32':
        out[i] = dv.getInt32(i * 4, true)
        break
      case 'I64':
        out[i] = Number(dv.getBigInt64(i * 8, true))
        break
    }
  }
  return out
}

/** Float values as a tensor of the given dtype (F32, F16, BF16 or F64). */
export function fromFloat32Array(values: ArrayLike<number>, shape: readonly number[], dtype: 'F32' | 'F16' | 'BF16' | 'F64'): SafeTensor {
  const n = values.length
  const data = new Uint8Array(n * SIZES[dtype])
  const dv = new DataView(data.buffer)
  const halves = dtype === 'F16' ? float32ToFloat16Bits(values) : null
  for (let i = 0; i < n; i++) {
    const v = values[i]!
    if (dtype === 'F32') dv.setFloat32(i * 4, v, true)
    else if (dtype === 'F64') dv.setFloat64(i * 8, v, true)
    else if (halves) dv.setUint16(i * 2, halves[i]!, true)
    else dv.setUint16(i * 2, floatToBf16(v), true)
  }
  return { dtype, shape, data }
}

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

function bf16ToFloat(h: number): number {
  u32[0] = h << 16
  return f32[0]!
}

/** Round-to-nearest-even bfloat16. */
function floatToBf16(v: number): number {
  f32[0] = v
  const x = u32[0]!
  if ((x & 0x7fffffff) > 0x7f800000) return (x >>> 16) | 0x40
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff
}
