/**
 * Caches ONNX Runtime's optimized graph of a model. Optimizing an SD U-Net takes seconds at
 * every session creation; ORT can write the graph it ends up with (`optimizedModelFilePath`),
 * and opening that file with optimizations disabled gives the same session faster. The written
 * graph may hold hardware-specific layouts (ORT warns about its NCHWc transformer), so callers
 * key entries by provider, ORT version and CPU as well as by the model. Initializers always go
 * to a side file: models over 2 GB cannot be one protobuf, and one code path is one to test.
 * Any problem with an entry deletes it and falls back to the normal load.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type * as ort from 'onnxruntime-node'
import { recordSlot, removeOlderEntries } from './graph-cache'

const MODEL_FILE = 'model.onnx'
const DATA_FILE = 'model.onnx.data'
/** Written last: an entry without it is incomplete (a crash while writing) and is redone. */
const MANIFEST_FILE = 'manifest.json'

type Create<T> = (file: string, options: ort.InferenceSession.SessionOptions) => Promise<T>

export interface OptimizedOpen<T, M> {
  readonly session: T
  /** 'hit': opened the cached graph; 'written': optimized now and cached; 'off': not cached. */
  readonly cache: 'hit' | 'written' | 'off'
  /** The file the session was created from. */
  readonly path: string
  /** The cached optimized graph, when the entry holds one now (after a hit or a write). */
  readonly cachedFile: string | null
  /** What `prepare` said about the graph, kept in the entry for later hits. */
  readonly meta: M
  /** Why a cache entry was dropped or could not be written, if that happened. */
  readonly note: string | null
}

export interface OptimizedCacheRequest<T, M> {
  /** The entry's folder (`<cacheDir>/ort-…-<key>`); undefined: no caching. */
  readonly dir: string | undefined
  /** Entries of the same slot replace each other (see graph-cache.ts). */
  readonly slot: string
  /** Makes the graph to open on a miss (e.g. writes a cleaned copy); runs only then. */
  readonly prepare: () => Promise<{ path: string; meta: M }>
  /** Reads `meta` back from an entry; undefined marks the entry as unusable. */
  readonly parseMeta: (raw: unknown) => M | undefined
  readonly options: ort.InferenceSession.SessionOptions
  readonly create: Create<T>
  readonly log: (message: string) => void
}

/**
 * Creates a session through the cache entry: from the cached optimized graph when there is a
 * good one, else from the prepared graph, writing its optimized form for next time.
 */
export async function createOptimizedCached<T, M>(
  r: OptimizedCacheRequest<T, M>,
): Promise<OptimizedOpen<T, M>> {
  const dir = r.dir
  let note: string | null = null
  if (dir !== undefined && existsSync(path.join(dir, MANIFEST_FILE))) {
    const cached = path.join(dir, MODEL_FILE)
    try {
      const meta = await checkManifest(dir, r.parseMeta)
      const session = await r.create(cached, { ...r.options, graphOptimizationLevel: 'disabled' })
      return { session, cache: 'hit', path: cached, cachedFile: cached, meta, note: null }
    } catch (err) {
      note = `the cached optimized graph in ${dir} could not be used (${reason(err)}); it was deleted and the model is loaded normally`
      r.log(note)
    }
  }
  const { path: source, meta } = await r.prepare()
  if (dir === undefined) {
    const session = await r.create(source, r.options)
    return { session, cache: 'off', path: source, cachedFile: null, meta, note }
  }
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  let session: T
  try {
    await rm(dir, { recursive: true, force: true })
    await mkdir(tmp, { recursive: true })
    session = await r.create(source, {
      ...r.options,
      optimizedModelFilePath: path.join(tmp, MODEL_FILE),
      // ORT's warning that the graph is hardware-specific is what the cache key is for.
      logSeverityLevel: 3,
      extra: {
        session: {
          optimized_model_external_initializers_file_name: DATA_FILE,
          optimized_model_external_initializers_min_size_in_bytes: '1024',
        },
      },
    })
  } catch (err) {
    // Maybe the cache folder or the graph could not be written (read-only, disk full…): load
    // without the cache. If the model itself is broken, this fails again with the real error.
    await rm(tmp, { recursive: true, force: true })
    note = `the optimized graph could not be cached (${reason(err)})`
    r.log(note)
    const plain = await r.create(source, r.options)
    return { session: plain, cache: 'off', path: source, cachedFile: null, meta, note }
  }
  try {
    await writeManifest(tmp, meta)
    await recordSlot(tmp, r.slot)
    await rename(tmp, dir)
    await removeOlderEntries(dir, r.slot)
  } catch (err) {
    await rm(tmp, { recursive: true, force: true })
    // Another process may have put the same entry in place first; that is fine.
    if (!existsSync(path.join(dir, MANIFEST_FILE))) {
      note = `the optimized graph could not be cached (${reason(err)})`
      r.log(note)
    }
  }
  const written = path.join(dir, MODEL_FILE)
  const cachedFile = existsSync(written) ? written : null
  return { session, cache: 'written', path: source, cachedFile, meta, note }
}

/** Records every file's size, so a truncated or half-copied entry is caught before ORT reads it. */
async function writeManifest(dir: string, meta: unknown): Promise<void> {
  const sizes: Record<string, number> = {}
  for (const name of await readdir(dir)) sizes[name] = (await stat(path.join(dir, name))).size
  if (sizes[MODEL_FILE] === undefined) throw new Error('ONNX Runtime wrote no optimized model')
  await writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify({ sizes, meta }))
}

async function checkManifest<M>(
  dir: string,
  parseMeta: (raw: unknown) => M | undefined,
): Promise<M> {
  const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as {
    sizes?: Record<string, unknown>
    meta?: unknown
  }
  const sizes = Object.entries(manifest.sizes ?? {})
  if (!sizes.some(([name]) => name === MODEL_FILE)) throw new Error('the manifest lists no model')
  for (const [name, size] of sizes) {
    const actual = await stat(path.join(dir, name)).then(
      (s) => s.size,
      () => undefined,
    )
    if (actual !== size)
      throw new Error(`${name} has ${actual ?? 'no'} bytes, expected ${String(size)}`)
  }
  const meta = parseMeta(manifest.meta)
  if (meta === undefined) throw new Error('its manifest is not readable')
  return meta
}

function reason(err: unknown): string {
  return err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err)
}
