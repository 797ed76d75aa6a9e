/**
 * Training checkpoints: everything a run needs to continue bit for bit. The step's randomness
 * is derived from (seed, step) (seeds.ts), so the state is the step, the parameters, Adam's
 * moments and step count, the VAE's PCA, the vocabulary and the loss history.
 *
 * File layout (little-endian): `SWCK`, u32 version, u32 header bytes, the header as UTF-8 JSON,
 * zero padding to a multiple of 4, then the float32 blobs the header lists (offsets in floats
 * from the start of the blob area). Written to a temporary name, flushed, then renamed over the
 * old file, so a crash leaves either the old checkpoint or the new one, never half of one.
 */
import { open, readFile, rename, rm } from 'node:fs/promises'
import type { AdamState } from '../erasure/lora/adam'
import type { TinyVocab } from '../tiny/tiny-vocab'
import type { ShapeWorldModelConfig } from './model-config'
import type { ParamSet } from './model-graphs'
import type { PatchPca } from './model-pca'
import type { LossWeighting } from './train-loss-weight'

const MAGIC = 'SWCK'
/** 2 added the weights' moving average; version 1 files load with it equal to the weights. */
const VERSION = 2

/** The run settings that must not change across a resume (the schedule depends on them), except
 * that a run may be extended to more steps. */
export interface TrainSettings {
  readonly seed: number
  readonly steps: number
  /**
   * Where the cosine decay ends (default: `steps`); later steps run at its floor. Set when a
   * run is extended past the steps it was planned with (train-loop.ts).
   */
  readonly decaySteps?: number
  readonly batch: number
  readonly lr: number
  readonly warmupSteps: number
  /** The cosine decay ends at lr · minLrRatio. */
  readonly minLrRatio: number
  readonly maxGradNorm: number
  readonly captionDropout: number
  /**
   * Decay of the moving average of the weights that the export uses (0: export the raw
   * weights). Averaging smooths the step-to-step noise of small-batch training out of the
   * samples; see train-schedule.ts emaDecayAt.
   */
  readonly emaDecay: number
  /** What each latent channel counts in the loss (absent: 'uniform', as the first runs). */
  readonly lossWeighting?: LossWeighting
  /** The model folder the weights started from (absent: the seeded initial weights). */
  readonly initFrom?: string
  readonly config: ShapeWorldModelConfig
}

export interface TrainState {
  readonly settings: TrainSettings
  /** Steps done. */
  readonly step: number
  readonly params: ParamSet
  readonly adam: AdamState
  /** The moving average of each parameter (the order of `params`); exported as the model. */
  readonly average: readonly Float32Array[]
  readonly pca: PatchPca
  /** The tokenizer's vocabulary, kept so a resumed run reads captions as it began to. */
  readonly vocab: TinyVocab
  /** The loss of every step so far (index i = step i + 1). */
  readonly losses: Float32Array
  /** Seconds of training so far, over all sessions. */
  readonly trainSeconds: number
}

interface BlobEntry {
  name: string
  dims: number[]
  offset: number
  length: number
}

interface Header {
  settings: TrainSettings
  step: number
  adamStep: number
  paramKeys: string[]
  pcaK: number
  vocab: TinyVocab
  trainSeconds: number
  blobs: BlobEntry[]
}

export async function saveCheckpoint(path: string, state: TrainState): Promise<void> {
  const blobs: { entry: BlobEntry; data: Float32Array }[] = []
  let offset = 0
  const add = (name: string, dims: readonly number[], data: Float32Array): void => {
    blobs.push({ entry: { name, dims: [...dims], offset, length: data.length }, data })
    offset += data.length
  }
  const keys = [...state.params.keys()]
  keys.forEach((key, i) => {
    const p = state.params.get(key)!
    add(`param:${key}`, p.dims, p.values)
    add(`adam.m:${key}`, p.dims, state.adam.m[i]!)
    add(`adam.v:${key}`, p.dims, state.adam.v[i]!)
    add(`average:${key}`, p.dims, state.average[i]!)
  })
  add(
    'pca.components',
    [state.pca.k, state.pca.components.length / state.pca.k],
    state.pca.components,
  )
  add('pca.mean', [state.pca.mean.length], state.pca.mean)
  add('pca.scales', [state.pca.k], state.pca.scales)
  add('losses', [state.losses.length], state.losses)
  const header: Header = {
    settings: state.settings,
    step: state.step,
    adamStep: state.adam.step,
    paramKeys: keys,
    pcaK: state.pca.k,
    vocab: state.vocab,
    trainSeconds: state.trainSeconds,
    blobs: blobs.map((b) => b.entry),
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8')
  const pad = (4 - ((12 + json.length) % 4)) % 4
  const head = Buffer.alloc(12 + json.length + pad)
  head.write(MAGIC, 0, 'ascii')
  head.writeUInt32LE(VERSION, 4)
  head.writeUInt32LE(json.length, 8)
  json.copy(head, 12)

  const temp = `${path}.tmp-${process.pid}`
  const file = await open(temp, 'w')
  try {
    await file.write(head)
    for (const { data } of blobs) {
      await file.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    }
    await file.sync()
  } catch (err) {
    await file.close()
    await rm(temp, { force: true })
    throw err
  }
  await file.close()
  await rename(temp, path)
}

export async function loadCheckpoint(path: string): Promise<TrainState> {
  const bytes = await readFile(path)
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== MAGIC) {
    throw new Error(`${path} is not a ShapeWorld training checkpoint`)
  }
  const version = bytes.readUInt32LE(4)
  if (version !== 1 && version !== VERSION)
    throw new Error(`${path}: checkpoint version ${version}, expected 1 to ${VERSION}`)
  const length = bytes.readUInt32LE(8)
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + length)) as Header
  const start = 12 + length + ((4 - ((12 + length) % 4)) % 4)
  // Copy into an aligned buffer: Float32Array views need 4-byte alignment.
  const area = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.length),
  )
  const blobs = new Map(header.blobs.map((b) => [b.name, b]))
  const blob = (name: string): { dims: number[]; data: Float32Array } => {
    const b = blobs.get(name)
    if (b === undefined) throw new Error(`${path}: the checkpoint has no ${name}`)
    if (b.offset + b.length > area.length) throw new Error(`${path} is truncated`)
    return { dims: b.dims, data: area.slice(b.offset, b.offset + b.length) }
  }
  const params: ParamSet = new Map()
  const m: Float32Array[] = []
  const v: Float32Array[] = []
  const average: Float32Array[] = []
  for (const key of header.paramKeys) {
    const p = blob(`param:${key}`)
    params.set(key, { dims: p.dims, values: p.data })
    m.push(blob(`adam.m:${key}`).data)
    v.push(blob(`adam.v:${key}`).data)
    average.push(version === 1 ? p.data.slice() : blob(`average:${key}`).data)
  }
  return {
    settings: { ...header.settings, emaDecay: header.settings.emaDecay ?? 0 },
    step: header.step,
    params,
    adam: { step: header.adamStep, m, v },
    average,
    pca: {
      components: blob('pca.components').data,
      mean: blob('pca.mean').data,
      scales: blob('pca.scales').data,
      k: header.pcaK,
    },
    vocab: header.vocab,
    losses: blob('losses').data,
    trainSeconds: header.trainSeconds,
  }
}
