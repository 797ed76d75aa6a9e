/**
 * ONNX external data: tensors whose bytes live in a side file next to model.onnx. Two layouts
 * occur in Stable Diffusion folders, and both are this same mechanism with a different file
 * name: `weights.pb` (diffusers' conversion script) and `model.onnx_data` (Optimum).
 */
import { open, stat } from 'node:fs/promises'
import { isAbsolute, join, normalize, sep } from 'node:path'
import { create } from '@bufbuild/protobuf'
import { StringStringEntryProtoSchema, TensorProto_DataLocation } from 'onnx-buf'
import type { TensorProto } from 'onnx-buf'
import { clearTensorPayload } from './tensor-proto'

/** Where a tensor's bytes are: `location` is relative to the model's folder. */
export interface ExternalRef {
  location: string
  offset: number
  length: number | undefined
}

export function isExternal(tensor: TensorProto): boolean {
  return tensor.dataLocation === TensorProto_DataLocation.EXTERNAL
}

/** Parses a tensor's external_data entries, refusing paths that leave the model folder. */
export function externalRef(tensor: TensorProto): ExternalRef | undefined {
  if (!isExternal(tensor)) return undefined
  let location: string | undefined
  let offset = 0
  let length: number | undefined
  for (const { key, value } of tensor.externalData) {
    if (key === 'location') location = value
    else if (key === 'offset') offset = parseCount(value, tensor.name, key)
    else if (key === 'length') length = parseCount(value, tensor.name, key)
  }
  if (location === undefined) {
    throw new Error(`tensor ${tensor.name} is marked external but names no location`)
  }
  const normalized = normalize(location)
  if (isAbsolute(location) || normalized.split(sep).includes('..')) {
    throw new Error(`tensor ${tensor.name} points outside the model folder (${location})`)
  }
  return { location, offset, length }
}

function parseCount(value: string, tensorName: string, key: string): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new Error(`tensor ${tensorName} has an invalid external ${key} "${value}"`)
  }
  return n
}

/** Makes the tensor point at `location` (offset, length) and drops its inline payload. */
export function setExternalRef(
  tensor: TensorProto,
  location: string,
  offset: number,
  length: number,
): void {
  clearTensorPayload(tensor)
  tensor.dataLocation = TensorProto_DataLocation.EXTERNAL
  tensor.externalData = [
    create(StringStringEntryProtoSchema, { key: 'location', value: location }),
    create(StringStringEntryProtoSchema, { key: 'offset', value: String(offset) }),
    create(StringStringEntryProtoSchema, { key: 'length', value: String(length) }),
  ]
}

/** Reads one tensor's bytes from its side file (one positioned read, the file is not kept open). */
export async function readExternalBytes(
  modelDir: string,
  ref: ExternalRef,
  byteLength: number,
  tensorName: string,
): Promise<Uint8Array<ArrayBuffer>> {
  if (ref.length !== undefined && ref.length !== byteLength) {
    throw new Error(
      `tensor ${tensorName}: external length ${ref.length} does not match its shape (${byteLength} bytes)`,
    )
  }
  const file = join(modelDir, ref.location)
  const handle = await open(file, 'r')
  try {
    const out = new Uint8Array(byteLength)
    let done = 0
    while (done < byteLength) {
      const { bytesRead } = await handle.read(out, done, byteLength - done, ref.offset + done)
      if (bytesRead === 0) {
        throw new Error(
          `${ref.location} ends before tensor ${tensorName} (needs bytes ${ref.offset}..${ref.offset + byteLength}); the file is truncated`,
        )
      }
      done += bytesRead
    }
    return out
  } finally {
    await handle.close()
  }
}

/**
 * Checks every side file exists and is long enough for the tensors that point into it, so a
 * half-copied model fails at load time with a file name rather than deep inside a session.
 * Returns the problems found, empty when the model's external data is complete.
 */
export async function findExternalDataProblems(
  tensors: readonly TensorProto[],
  modelDir: string,
  byteLength: (t: TensorProto) => number,
): Promise<string[]> {
  const needed = new Map<string, number>()
  for (const t of tensors) {
    const ref = externalRef(t)
    if (ref === undefined) continue
    const end = ref.offset + (ref.length ?? byteLength(t))
    needed.set(ref.location, Math.max(end, needed.get(ref.location) ?? 0))
  }
  const problems: string[] = []
  for (const [location, end] of needed) {
    const size = await stat(join(modelDir, location)).then(
      (s) => s.size,
      () => undefined,
    )
    if (size === undefined) problems.push(`${location} is missing`)
    else if (size < end) problems.push(`${location} is truncated (${size} of ${end} bytes)`)
  }
  return problems
}
