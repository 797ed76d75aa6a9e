import * as ort from 'onnxruntime-node'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { ModelProto } from 'onnx-buf'
import { StudioError } from '../../../shared/errors'
import { OnnxFileError, readInitializer, readModel } from '../onnx/model-io'
import type { KvDiscovery } from '../onnx/surgery/kv-discovery'
import { KvDiscoveryError, discoverKv } from '../onnx/surgery/kv-discovery'
import { parseLayoutConfig } from '../onnx/surgery/unet-layout'
import type { ModelFolder } from './model-folder'
import { resolveModelFolder } from './model-folder'
import type { PredictionType } from './schedulers'
import { parseSchedulerConfig } from './schedulers'
import type { ResolvedRuntime, RuntimeOptions } from './session-options'
import { resolveRuntime, sessionOptions } from './session-options'
import { TextEncoder } from './text-encoder'
import { ClipTokenizer, TokenizerFileError } from './tokenizer'
import type { TimestepKind } from './unet'
import type { UNet } from './unet'
import { openUNet } from './open-unet'
import type { UNetGraphInfo } from './open-unet'
import { VaeDecoder } from './vae-decoder'

/** What the studio shows about a model, read from its files and sessions. */
export interface ModelFacts {
  readonly sdVersion: '1.x' | '2.x' | 'custom'
  readonly contextDim: number
  readonly latentChannels: number
  readonly crossAttentionLayers: number
  readonly kvNaming: KvDiscovery['naming']
  readonly dtype: 'float32' | 'float16'
  readonly timestep: TimestepKind
  readonly inputIds: 'int32' | 'int64'
  readonly predictionType: PredictionType
  readonly hasVaeEncoder: boolean
  readonly sizes: Readonly<Record<string, number>>
}

export interface SdModel {
  readonly folder: ModelFolder
  readonly facts: ModelFacts
  readonly runtime: ResolvedRuntime
  readonly tokenizer: ClipTokenizer
  readonly textEncoder: TextEncoder
  readonly unet: UNet
  readonly vae: VaeDecoder
  readonly kv: KvDiscovery
  /** Raw scheduler_config.json, for createScheduler. */
  readonly schedulerConfig: unknown
  /** Original K/V weights as ONNX tensors, present when loaded with `kvInputs`. */
  readonly kvWeights: Readonly<Record<string, ort.Tensor>> | null
  /** How the U-Net session was made: cleanup, derived graph, optimized-graph cache. */
  readonly unetGraph: UNetGraphInfo
  dispose(): Promise<void>
}

export interface LoadOptions extends RuntimeOptions {
  /**
   * Folder for graphs derived from the U-Net: the cleaned graph, the K/V-as-inputs graph, and
   * ONNX Runtime's optimized graph (the host passes `<dataDir>/cache`). Without it the U-Net is
   * opened exactly as exported.
   */
  readonly cacheDir?: string
  /** Load the U-Net with K/V weights as graph inputs (needs `cacheDir`). */
  readonly kvInputs?: boolean
  /** @deprecated Same as `cacheDir` with `kvInputs: true`. */
  readonly kvInputsCacheDir?: string
  /** Graph cleanup at load (default on); off opens the graph as exported, for comparisons. */
  readonly graphCleanup?: boolean
  /** Reuse ONNX Runtime's optimized U-Net graph from `cacheDir` (default on). */
  readonly optimizedGraphCache?: boolean
  /** Where cache problems are reported (default console.warn); loading goes on regardless. */
  readonly log?: (message: string) => void
}

const sdVersionOf = (d: number): ModelFacts['sdVersion'] => (d === 768 ? '1.x' : d === 1024 ? '2.x' : 'custom')

async function session<T>(what: string, file: string, make: () => Promise<T>): Promise<T> {
  try {
    return await make()
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err)
    throw new StudioError('invalid-input', `${what} (${file}) could not be loaded by ONNX Runtime: ${reason}. The file may be truncated or not an ONNX model; re-export or re-download it.`)
  }
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown
  } catch {
    throw new StudioError('invalid-input', `${file} is not valid JSON; restore it from the original model folder.`)
  }
}

/** Loads a diffusers ONNX model folder: validates it, discovers K/V layers, opens sessions. */
export async function loadSdModel(dir: string, options: LoadOptions): Promise<SdModel> {
  const folder = await resolveModelFolder(dir)
  const runtime = resolveRuntime(options)
  const opts = sessionOptions(runtime)
  const tokenizer = await ClipTokenizer.fromDir(folder.tokenizerDir).catch((err: unknown) => {
    if (err instanceof TokenizerFileError) throw new StudioError('invalid-input', err.message)
    throw err
  })
  const schedulerConfig = await readJson(folder.schedulerConfig)
  let predictionType: PredictionType
  try {
    predictionType = parseSchedulerConfig(schedulerConfig, 'ddim').predictionType
  } catch (err) {
    throw new StudioError('invalid-input', `scheduler/scheduler_config.json: ${(err as Error).message}`)
  }
  let unetProto: ModelProto
  try {
    unetProto = await readModel(folder.unet)
  } catch (err) {
    if (err instanceof OnnxFileError) throw new StudioError('invalid-input', err.message)
    throw err
  }
  const layout = folder.unetConfig ? parseLayoutConfig(await readJson(folder.unetConfig)) : null
  let kv: KvDiscovery
  try {
    kv = discoverKv(unetProto, layout)
  } catch (err) {
    if (err instanceof KvDiscoveryError) throw new StudioError('invalid-input', `unet/model.onnx: ${err.message}`)
    throw err
  }
  const cacheDir = options.cacheDir ?? options.kvInputsCacheDir
  const kvInputs = options.kvInputs === true || options.kvInputsCacheDir !== undefined
  if (kvInputs && cacheDir === undefined) throw new Error('loadSdModel: kvInputs needs a cacheDir to write the K/V-as-inputs U-Net into')
  let kvWeights: Record<string, ort.Tensor> | null = null
  if (kvInputs) {
    kvWeights = {}
    for (const p of kv.projections) {
      const v = await readInitializer(unetProto, p.initializer, path.dirname(folder.unet))
      kvWeights[p.initializer] = new ort.Tensor(v.data instanceof Uint16Array ? 'float16' : 'float32', v.data as Float32Array | Uint16Array, v.dims)
    }
  }
  const textEncoder = await session('text_encoder/model.onnx', folder.textEncoder, () => TextEncoder.create(folder.textEncoder, opts))
  const { unet, info: unetGraph } = await session('unet/model.onnx', folder.unet, () =>
    openUNet(folder.unet, unetProto, kv.projections, opts, {
      cacheDir,
      kvInputs,
      cleanup: options.graphCleanup ?? true,
      optimizedCache: options.optimizedGraphCache ?? true,
      provider: runtime.provider,
      log: options.log ?? ((message) => console.warn(`[realera] U-Net: ${message}`)),
    }),
  )
  const vae = await session('vae_decoder/model.onnx', folder.vaeDecoder, () => VaeDecoder.create(folder.vaeDecoder, opts))
  const facts: ModelFacts = {
    sdVersion: sdVersionOf(kv.contextDim),
    contextDim: kv.contextDim,
    latentChannels: unet.latentChannels,
    crossAttentionLayers: kv.projections.length / 2,
    kvNaming: kv.naming,
    dtype: unet.floatType === 'float16' ? 'float16' : 'float32',
    timestep: unet.timestepKind,
    inputIds: textEncoder.idsType,
    predictionType,
    hasVaeEncoder: folder.vaeEncoder !== null,
    sizes: folder.sizes,
  }
  return {
    folder,
    facts,
    runtime,
    tokenizer,
    textEncoder,
    unet,
    vae,
    kv,
    schedulerConfig,
    kvWeights,
    unetGraph,
    async dispose() {
      await Promise.all([textEncoder.dispose(), unet.dispose(), vae.dispose()])
    },
  }
}
