/**
 * The cache folder for graphs derived from a model's U-Net: the cleaned graph, the K/V-as-inputs
 * graph, ORT's optimized graph. Entries are keyed by what the model's bytes are, so editing a
 * model (or replacing its weights file) gives new entries instead of stale ones, and older
 * entries of the same model and kind are removed when a new one is written (an SD U-Net's
 * optimized graph alone is 3.4 GB).
 */
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, linkSync, mkdirSync, symlinkSync } from 'node:fs'
import { readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { ModelProto } from 'onnx-buf'
import { externalRef } from '../onnx/external-data'
import { encodeModel } from '../onnx/model-io'

/** The file an entry records its slot in, to find older entries of the same slot. */
const SLOT_FILE = 'slot.json'

/** Side files the model's external tensors point into, relative to its folder. */
export function externalLocations(model: ModelProto): string[] {
  const locations = new Set<string>()
  for (const t of model.graph?.initializer ?? []) {
    const ref = externalRef(t)
    if (ref) locations.add(ref.location)
  }
  return [...locations].sort()
}

/**
 * Identifies the U-Net's bytes: a hash of model.onnx plus each side file's size, mtime and
 * inode. Hashing 3.4 GB of weights at every load would take seconds; a replaced or rewritten
 * weights file changes its mtime or inode, which is what a stale cache would miss.
 */
export async function modelSourceKey(modelPath: string, model: ModelProto): Promise<string> {
  const hash = createHash('sha256').update(await readFile(modelPath))
  for (const loc of externalLocations(model)) {
    const s = await stat(path.join(path.dirname(modelPath), loc), { bigint: true })
    hash.update(`\0${loc}\0${s.size}\0${s.mtimeNs}\0${s.ino}`)
  }
  return hash.digest('hex')
}

/** A short, stable key from JSON-able parts (source key, flags, versions). */
export function cacheKey(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 20)
}

/** `<cacheDir>/<kind>-<key>`: the folder of one cache entry. */
export function entryDir(cacheDir: string, kind: string, key: string): string {
  return path.join(cacheDir, `${kind}-${key}`)
}

/**
 * Writes (once) the model `build` makes, whose external tensors point into `sourceDir`, as
 * `<dir>/model.onnx`. The side files are linked, not copied (hard link, else symlink, else
 * copy): ONNX Runtime resolves them relative to the model file, and a 3.4 GB copy per derived
 * graph would be wasteful. model.onnx is renamed into place last, so its presence means the
 * entry is complete; older entries of the same `slot` are then removed. Returns the path.
 */
export async function writeDerivedModel(
  build: () => ModelProto,
  sourceDir: string,
  dir: string,
  slot: string,
): Promise<string> {
  const target = path.join(dir, 'model.onnx')
  if (existsSync(target)) return target
  const model = build()
  mkdirSync(dir, { recursive: true })
  for (const loc of externalLocations(model)) {
    linkInto(path.join(sourceDir, loc), path.join(dir, loc))
  }
  await recordSlot(dir, slot)
  const tmp = `${target}.${process.pid}.tmp`
  await writeFile(tmp, encodeModel(model))
  await rename(tmp, target)
  await removeOlderEntries(dir, slot)
  return target
}

/** Notes which slot an entry fills (see {@link removeOlderEntries}). */
export async function recordSlot(dir: string, slot: string): Promise<void> {
  await writeFile(path.join(dir, SLOT_FILE), JSON.stringify({ slot }))
}

/**
 * Deletes the other entries recorded for the same `slot` (a model path with the flags that
 * pick the kind of graph): they were derived from an earlier version of that model. Best effort:
 * an entry another process still has open may fail to go on some systems, and stays.
 */
export async function removeOlderEntries(dir: string, slot: string): Promise<void> {
  const parent = path.dirname(dir)
  const names = await readdir(parent).catch(() => [] as string[])
  for (const other of names) {
    if (other === path.basename(dir)) continue
    const recorded = await readFile(path.join(parent, other, SLOT_FILE), 'utf8')
      .then((text) => (JSON.parse(text) as { slot?: unknown }).slot)
      .catch(() => undefined)
    if (recorded === slot) {
      await rm(path.join(parent, other), { recursive: true, force: true }).catch(() => undefined)
    }
  }
}

function linkInto(from: string, to: string): void {
  if (existsSync(to)) return
  mkdirSync(path.dirname(to), { recursive: true })
  try {
    linkSync(from, to)
  } catch {
    try {
      symlinkSync(from, to)
    } catch {
      copyFileSync(from, to)
    }
  }
}
