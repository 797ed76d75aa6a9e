import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { clone } from '@bufbuild/protobuf'
import { ModelProtoSchema } from 'onnx-buf'
import type { ModelProto } from 'onnx-buf'
import { StudioError } from '../../../shared/errors'
import { externalRef } from '../onnx/external-data'
import { setInitializer, writeModel } from '../onnx/model-io'
import type { ModelFolder } from '../sd/model-folder'
import { ensureWritableFolder } from '../../util/writable-folder'

/** Hard-links (cheap, same disk) or copies one file. */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to)
  } catch {
    copyFileSync(from, to)
  }
}

function copyTree(from: string, to: string, skip: (rel: string) => boolean, rel = ''): void {
  mkdirSync(to, { recursive: true })
  for (const name of readdirSync(from)) {
    const r = rel ? `${rel}/${name}` : name
    if (skip(r)) continue
    const src = path.join(from, name)
    if (statSync(src).isDirectory()) copyTree(src, path.join(to, name), skip, r)
    else linkOrCopy(src, path.join(to, name))
  }
}

/**
 * A new diffusers ONNX model folder whose U-Net carries the edited K/V weights (`edits`: ONNX
 * initializer name → new B = W_editedᵀ, float32), usable by this studio and any ONNX SD
 * pipeline. The other components are hard-linked (or copied). The U-Net keeps its original
 * external-data layout. The folder is assembled under a temporary name and renamed into place,
 * so a failure (full disk, read-only target) leaves no partial model behind.
 */
export async function writeMergedModel(src: ModelFolder, unet: ModelProto, edits: ReadonlyMap<string, { data: Float32Array; dims: readonly number[] }>, outDir: string): Promise<void> {
  const target = path.resolve(outDir)
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new StudioError('conflict', `${target} already exists and is not empty; choose a new folder for the merged model.`)
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`)
  await ensureWritableFolder(path.dirname(target))
  try {
    copyTree(src.dir, tmp, (rel) => rel === 'unet' || rel.startsWith('unet/'))
    mkdirSync(path.join(tmp, 'unet'), { recursive: true })
    if (src.unetConfig) linkOrCopy(src.unetConfig, path.join(tmp, 'unet', 'config.json'))
    const edited = clone(ModelProtoSchema, unet)
    for (const [name, { data, dims }] of edits) setInitializer(edited, name, { dims: [...dims], data })
    const sideFiles = new Set((unet.graph?.initializer ?? []).flatMap((t) => externalRef(t)?.location ?? []))
    const [sideFile] = [...sideFiles]
    await writeModel(edited, path.join(tmp, 'unet', 'model.onnx'), {
      sourceDir: path.dirname(src.unet),
      ...(sideFile ? { externalData: { fileName: sideFile } } : {}),
    })
    if (existsSync(target)) rmSync(target, { recursive: true })
    renameSync(tmp, target)
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true })
    if (err instanceof StudioError) throw err
    throw new StudioError('not-writable', `Could not write the merged model to ${target}: ${(err as Error).message}. Nothing was left behind; free some space or choose another folder.`)
  }
}
