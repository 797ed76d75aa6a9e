/**
 * Opens the U-Net the way the loader wants it: cleaned at load (onnx/surgery/cleanup.ts), with
 * K/V weights as inputs when asked, and from ORT's cached optimized graph after the first load.
 * Each derived graph lives in the cache folder (graph-cache.ts); without one, the U-Net is
 * opened exactly as exported.
 */
import os from 'node:os'
import path from 'node:path'
import * as ort from 'onnxruntime-node'
import type { ModelProto } from 'onnx-buf'
import { CLEANUP_VERSION, cleanupGraph } from '../onnx/surgery/cleanup'
import type { CleanupReport } from '../onnx/surgery/cleanup'
import type { KvProjection } from '../onnx/surgery/kv-discovery'
import { cacheKey, entryDir, modelSourceKey, writeDerivedModel } from './graph-cache'
import { kvInputsModelPath } from './kv-inputs-cache'
import { createOptimizedCached } from './optimized-graph-cache'
import { UNet } from './unet'

/** Providers whose optimized graphs we cache; others (GPU EPs) may fuse into unsavable nodes. */
const OPTIMIZED_CACHE_PROVIDERS: ReadonlySet<string> = new Set(['cpu'])

export interface UNetOpenOptions {
  readonly cacheDir: string | undefined
  readonly kvInputs: boolean
  readonly cleanup: boolean
  readonly optimizedCache: boolean
  readonly provider: string
  readonly log: (message: string) => void
}

/** How the U-Net's session was made, for the studio's diagnostics and for tests. */
export interface UNetGraphInfo {
  /** The file ONNX Runtime opened: the model's own, a derived graph, or the optimized cache. */
  readonly path: string
  /** What the load-time cleanup changed (null: off, or no cache folder to put its result in). */
  readonly cleanup: CleanupReport | null
  /** 'hit': the session came from ORT's cached optimized graph; 'written': it was cached now. */
  readonly optimizedCache: 'hit' | 'written' | 'off'
  /** ORT's optimized graph in the cache, when there is one now. */
  readonly optimizedGraphFile: string | null
  /** Why a cache entry was dropped or not written, if that happened. */
  readonly cacheNote: string | null
}

export async function openUNet(
  unetPath: string,
  proto: ModelProto,
  projections: readonly KvProjection[],
  sessionOptions: ort.InferenceSession.SessionOptions,
  o: UNetOpenOptions,
): Promise<{ unet: UNet; info: UNetGraphInfo }> {
  const create = (file: string, so: ort.InferenceSession.SessionOptions): Promise<UNet> =>
    UNet.create(file, so)
  const cacheDir = o.cacheDir
  if (cacheDir === undefined) {
    if (o.kvInputs) throw new Error('the K/V-as-inputs U-Net needs a cache folder (cacheDir)')
    const unet = await create(unetPath, sessionOptions)
    const info: UNetGraphInfo = {
      path: unetPath,
      cleanup: null,
      optimizedCache: 'off',
      optimizedGraphFile: null,
      cacheNote: null,
    }
    return { unet, info }
  }
  const source = await modelSourceKey(unetPath, proto)
  const abs = path.resolve(unetPath)
  const graphKind = o.cleanup ? `clean-${CLEANUP_VERSION}` : 'as-exported'

  /** Writes the graph to open (cleaned, or K/V as inputs) on an optimized-cache miss. */
  const prepare = async (): Promise<{ path: string; meta: CleanupReport | null }> => {
    const cleaned = o.cleanup ? cleanupGraph(proto) : null
    const graph = cleaned?.model ?? proto
    const meta = cleaned?.report ?? null
    if (o.kvInputs) {
      const key = cacheKey([source, graphKind, 'kv'])
      return { path: await kvInputsModelPath(unetPath, graph, projections, cacheDir, key), meta }
    }
    if (cleaned?.changed !== true) return { path: unetPath, meta }
    const dir = entryDir(cacheDir, 'unet-clean', cacheKey([source, CLEANUP_VERSION]))
    const slot = JSON.stringify(['unet-clean', abs])
    try {
      return { path: await writeDerivedModel(() => graph, path.dirname(unetPath), dir, slot), meta }
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      o.log(`the cleaned graph could not be written to ${dir} (${reason}); using the original`)
      return { path: unetPath, meta: null }
    }
  }

  const cached = o.optimizedCache && OPTIMIZED_CACHE_PROVIDERS.has(o.provider)
  const kind = o.kvInputs ? 'ort-unet-kv' : 'ort-unet'
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu'
  const env = [o.provider, ort.env.versions.node, process.platform, process.arch, cpu]
  const key = cacheKey([source, graphKind, o.kvInputs, sessionOptions.graphOptimizationLevel, env])
  const opened = await createOptimizedCached({
    dir: cached ? entryDir(cacheDir, kind, key) : undefined,
    slot: JSON.stringify([kind, abs, o.provider, graphKind]),
    prepare,
    parseMeta: parseCleanupReport,
    options: sessionOptions,
    create,
    log: o.log,
  })
  const info: UNetGraphInfo = {
    path: opened.path,
    cleanup: opened.meta,
    optimizedCache: opened.cache,
    optimizedGraphFile: opened.cachedFile,
    cacheNote: opened.note,
  }
  return { unet: opened.session, info }
}

/** A cleanup report as stored in a cache manifest (null: the cleanup was off). */
function parseCleanupReport(raw: unknown): CleanupReport | null | undefined {
  if (raw === null) return null
  if (typeof raw !== 'object') return undefined
  const r = raw as Record<string, unknown>
  const fields = ['zeroAdds', 'expanded', 'removedNodes', 'removedInitializers'] as const
  if (!fields.every((f) => typeof r[f] === 'number')) return undefined
  return {
    zeroAdds: r.zeroAdds as number,
    expanded: r.expanded as number,
    removedNodes: r.removedNodes as number,
    removedInitializers: r.removedInitializers as number,
  }
}
