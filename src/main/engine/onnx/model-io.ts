/**
 * Reading and writing ONNX ModelProto files, including external data. A loaded model keeps
 * its external tensors as references: a 3.4 GB U-Net costs a few MB until someone asks for a
 * tensor with {@link readInitializer} (or for everything with `loadExternalData`).
 */
import { randomBytes } from 'node:crypto'
import { open, readFile, rename, rm } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { create, fromBinary, toBinary } from '@bufbuild/protobuf'
import { ModelProtoSchema, TensorProtoSchema } from 'onnx-buf'
import type { ModelProto, TensorProto, TensorProto_DataType } from 'onnx-buf'
import {
  externalRef,
  findExternalDataProblems,
  isExternal,
  readExternalBytes,
  setExternalRef,
} from './external-data'
import {
  decodeInlineTensor,
  dimsToNumbers,
  elementSize,
  inlineTensorBytes,
  makeTensorProto,
  tensorByteLength,
  typedArrayFromBytes,
} from './tensor-proto'
import type { TensorData, TensorValue } from './tensor-proto'

/** Protobuf cannot encode a message of 2 GiB or more; bigger models need external data. */
export const PROTOBUF_LIMIT_BYTES = 2 ** 31 - 1

export type OnnxFileErrorCode = 'missing' | 'invalid' | 'external-data' | 'too-large'

/** A model file problem the user can act on; the message names the file (`unet/model.onnx`). */
export class OnnxFileError extends Error {
  constructor(
    readonly code: OnnxFileErrorCode,
    readonly filePath: string,
    message: string,
  ) {
    super(message)
    this.name = 'OnnxFileError'
  }
}

/** `…/unet/model.onnx` → `unet/model.onnx`: the part of a path a user recognizes. */
export function displayPath(filePath: string): string {
  return `${basename(dirname(filePath))}/${basename(filePath)}`
}

const ADVICE = 're-export the model or check the download'

/** Decodes and sanity-checks model bytes; `filePath` only labels errors. */
export function decodeModel(bytes: Uint8Array, filePath = 'model.onnx'): ModelProto {
  const shown = displayPath(filePath)
  let model: ModelProto
  try {
    model = fromBinary(ModelProtoSchema, bytes)
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    throw new OnnxFileError(
      'invalid',
      filePath,
      `${shown} is not a valid ONNX file (${reason}); ${ADVICE}`,
    )
  }
  // A cut at a field boundary still decodes, so also insist on the parts every model has.
  const missing =
    model.irVersion <= 0n
      ? 'no IR version'
      : model.graph === undefined
        ? 'no graph'
        : model.opsetImport.length === 0
          ? 'no opset import, the file may be truncated'
          : undefined
  if (missing !== undefined) {
    throw new OnnxFileError(
      'invalid',
      filePath,
      `${shown} is not a valid ONNX file (${missing}); ${ADVICE}`,
    )
  }
  return model
}

export function encodeModel(model: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, model)
}

export interface ReadModelOptions {
  /** Pull every external tensor into memory now (default false: read lazily on demand). */
  loadExternalData?: boolean
}

/** Reads `filePath`, checking that its external data files exist and are long enough. */
export async function readModel(
  filePath: string,
  options: ReadModelOptions = {},
): Promise<ModelProto> {
  const shown = displayPath(filePath)
  let bytes: Uint8Array
  try {
    bytes = await readFile(filePath)
  } catch (err) {
    const code = (err as { code?: unknown }).code
    if (code === 'ENOENT') {
      throw new OnnxFileError(
        'missing',
        filePath,
        `${shown} was not found (${filePath}); ${ADVICE}`,
      )
    }
    const reason = err instanceof Error ? err.message : String(err)
    throw new OnnxFileError(
      'invalid',
      filePath,
      `${shown} could not be read (${reason}); ${ADVICE}`,
    )
  }
  const model = decodeModel(bytes, filePath)
  const dir = dirname(filePath)
  const initializers = model.graph?.initializer ?? []
  const problems = await findExternalDataProblems(initializers, dir, tensorByteLength)
  if (problems.length > 0) {
    throw new OnnxFileError(
      'external-data',
      filePath,
      `${shown} has incomplete external data (${problems.join('; ')}); ${ADVICE}`,
    )
  }
  if (options.loadExternalData === true) await loadExternalData(model, dir)
  return model
}

export function findInitializer(model: ModelProto, name: string): TensorProto | undefined {
  return model.graph?.initializer.find((t) => t.name === name)
}

/** Reads one initializer's values, from the message or from its external file in `modelDir`. */
export async function readInitializer(
  model: ModelProto,
  name: string,
  modelDir: string,
): Promise<TensorValue> {
  const tensor = findInitializer(model, name)
  if (tensor === undefined) throw new Error(`the model has no initializer named ${name}`)
  const ref = externalRef(tensor)
  const data =
    ref === undefined
      ? decodeInlineTensor(tensor)
      : typedArrayFromBytes(
          tensor.dataType,
          await readExternalBytes(modelDir, ref, tensorByteLength(tensor), name),
          name,
          true,
        )
  return { dims: dimsToNumbers(tensor.dims), dataType: tensor.dataType, data }
}

/** The tensor's payload bytes wherever they live. */
async function tensorBytes(
  tensor: TensorProto,
  modelDir: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const ref = externalRef(tensor)
  if (ref === undefined) return inlineTensorBytes(tensor)
  return readExternalBytes(modelDir, ref, tensorByteLength(tensor), tensor.name)
}

export interface InitializerUpdate {
  dims: readonly number[]
  data: TensorData
  /** Defaults from the array type (Uint16Array means float16). */
  dataType?: TensorProto_DataType
}

/**
 * Replaces (or appends) an initializer with inline values. The new tensor shares `data`'s
 * memory. An external tensor becomes inline; writeModel moves it back out if asked to.
 */
export function setInitializer(model: ModelProto, name: string, update: InitializerUpdate): void {
  const graph = model.graph
  if (graph === undefined) throw new Error('the model has no graph')
  const tensor = makeTensorProto(name, update.dims, update.data, update.dataType)
  const index = graph.initializer.findIndex((t) => t.name === name)
  if (index >= 0) graph.initializer[index] = tensor
  else graph.initializer.push(tensor)
}

/** Reads every external tensor into raw_data (what a caller asks for to edit all weights). */
export async function loadExternalData(model: ModelProto, modelDir: string): Promise<void> {
  const graph = model.graph
  if (graph === undefined) return
  const loaded: TensorProto[] = []
  // One tensor at a time: an SD U-Net has ~700 of them, too many files to open at once.
  for (const t of graph.initializer) {
    loaded.push(isExternal(t) ? withPayload(t, await tensorBytes(t, modelDir)) : t)
  }
  graph.initializer = loaded
}

export interface WriteModelOptions {
  /**
   * Put every tensor of at least `minBytes` (default 1024, as onnx's own saver) into one side
   * file `fileName` next to the model: `weights.pb` (diffusers) or `model.onnx_data` (Optimum).
   * Without it every tensor is written inline, which protobuf limits to 2 GiB.
   */
  externalData?: { fileName: string; minBytes?: number }
  /** Folder that the model's current external references resolve against (default: target's). */
  sourceDir?: string
}

/**
 * Writes the model atomically: each file goes to a temporary name in the target folder and is
 * renamed into place (side file first, then the model). Tensors are streamed one at a time, so
 * memory stays near one tensor beyond what the model already holds. The model is not modified.
 */
export async function writeModel(
  model: ModelProto,
  filePath: string,
  options: WriteModelOptions = {},
): Promise<void> {
  const graph = model.graph
  if (graph === undefined) throw new Error(`cannot write ${displayPath(filePath)}: no graph`)
  const dir = dirname(filePath)
  const sourceDir = options.sourceDir ?? dir
  const external = options.externalData
  const minBytes = external?.minBytes ?? 1024
  const dataPath = external === undefined ? undefined : join(dir, external.fileName)
  const dataTemp = dataPath === undefined ? undefined : tempName(dataPath)
  const modelTemp = tempName(filePath)
  const originals = graph.initializer
  // Decide every tensor's place first, so an impossible request fails before any I/O.
  const toSideFile = originals.map(
    (t) => external !== undefined && movable(t) && storedByteLength(t) >= minBytes,
  )
  const inlineBytes = originals.reduce(
    (sum, t, i) => (toSideFile[i] === true ? sum : sum + storedByteLength(t)),
    0,
  )
  if (inlineBytes > PROTOBUF_LIMIT_BYTES) {
    throw new OnnxFileError(
      'too-large',
      filePath,
      `${displayPath(filePath)} would hold ${inlineBytes} bytes inline, over protobuf's 2 GiB limit; write it with external data`,
    )
  }
  let sink: FileHandle | undefined
  try {
    if (dataTemp !== undefined) sink = await open(dataTemp, 'w')
    const written: TensorProto[] = []
    let offset = 0
    for (const [i, tensor] of originals.entries()) {
      if (sink !== undefined && external !== undefined && toSideFile[i] === true) {
        const bytes = await tensorBytes(tensor, sourceDir)
        await writeFully(sink, bytes, offset)
        const copy = withoutPayload(tensor)
        setExternalRef(copy, external.fileName, offset, bytes.byteLength)
        written.push(copy)
        offset += bytes.byteLength
      } else if (isExternal(tensor)) {
        written.push(withPayload(tensor, await tensorBytes(tensor, sourceDir)))
      } else {
        written.push(tensor)
      }
    }
    let bytes: Uint8Array
    graph.initializer = written
    try {
      bytes = encodeModel(model)
    } finally {
      graph.initializer = originals
    }
    if (sink !== undefined) {
      await sink.sync()
      await sink.close()
      sink = undefined
    }
    await writeWhole(modelTemp, bytes)
    if (dataTemp !== undefined && dataPath !== undefined) await rename(dataTemp, dataPath)
    await rename(modelTemp, filePath)
  } catch (err) {
    await sink?.close()
    await rm(modelTemp, { force: true })
    if (dataTemp !== undefined) await rm(dataTemp, { force: true })
    throw err
  }
}

/** Types with a fixed element size can live in a side file; strings and 4-bit types stay inline. */
function movable(tensor: TensorProto): boolean {
  return elementSize(tensor.dataType) !== undefined
}

/** Payload size as stored (raw bytes; typed fields counted at their element size). */
function storedByteLength(tensor: TensorProto): number {
  if (isExternal(tensor)) return tensorByteLength(tensor)
  if (tensor.rawData.byteLength > 0) return tensor.rawData.byteLength
  return movable(tensor) ? tensorByteLength(tensor) : 0
}

function tempName(finalPath: string): string {
  return `${finalPath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
}

async function writeFully(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0
  while (done < bytes.byteLength) {
    const { bytesWritten } = await handle.write(
      bytes,
      done,
      bytes.byteLength - done,
      position + done,
    )
    done += bytesWritten
  }
}

async function writeWhole(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'w')
  try {
    await writeFully(handle, bytes, 0)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * A copy of the tensor's metadata without its payload. Only fields the source actually has are
 * set, so re-encoding produces the same bytes (proto2 serializes explicitly set defaults).
 */
function withoutPayload(tensor: TensorProto): TensorProto {
  const copy = create(TensorProtoSchema, { dims: tensor.dims, metadataProps: tensor.metadataProps })
  if (Object.hasOwn(tensor, 'dataType')) copy.dataType = tensor.dataType
  if (Object.hasOwn(tensor, 'name')) copy.name = tensor.name
  if (Object.hasOwn(tensor, 'docString')) copy.docString = tensor.docString
  if (tensor.segment !== undefined) copy.segment = tensor.segment
  return copy
}

function withPayload(tensor: TensorProto, bytes: Uint8Array<ArrayBuffer>): TensorProto {
  const copy = withoutPayload(tensor)
  copy.rawData = bytes
  return copy
}
