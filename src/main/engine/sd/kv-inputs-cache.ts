import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, linkSync, mkdirSync, symlinkSync } from 'node:fs'
import { readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { ModelProto } from 'onnx-buf'
import { externalRef } from '../onnx/external-data'
import { encodeModel } from '../onnx/model-io'
import type { KvProjection } from '../onnx/surgery/kv-discovery'
import { kvAsInputs } from '../onnx/surgery/kv-inputs'

/**
 * Writes (once) the K/V-as-inputs U-Net into `cacheDir/<hash of the original>/model.onnx`. Its
 * external data files are linked, not copied (hard link, else symlink, else copy), because
 * ONNX Runtime resolves them relative to the model file and a 3.4 GB copy per model would be
 * wasteful. Returns the path to open.
 */
export async function kvInputsModelPath(unetPath: string, model: ModelProto, projections: readonly KvProjection[], cacheDir: string): Promise<string> {
  const original = await readFile(unetPath)
  const hash = createHash('sha256').update(original).digest('hex').slice(0, 16)
  const dir = path.join(cacheDir, `unet-kv-${hash}`)
  const target = path.join(dir, 'model.onnx')
  if (existsSync(target)) return target
  mkdirSync(dir, { recursive: true })
  const locations = new Set<string>()
  for (const t of model.graph?.initializer ?? []) {
    const ref = externalRef(t)
    if (ref) locations.add(ref.location)
  }
  for (const loc of locations) linkInto(path.join(path.dirname(unetPath), loc), path.join(dir, loc))
  const tmp = `${target}.${process.pid}.tmp`
  await writeFile(tmp, encodeModel(kvAsInputs(model, projections)))
  await rename(tmp, target)
  return target
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
