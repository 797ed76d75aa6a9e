import path from 'node:path'
import type { ModelProto } from 'onnx-buf'
import type { KvProjection } from '../onnx/surgery/kv-discovery'
import { kvAsInputs } from '../onnx/surgery/kv-inputs'
import { entryDir, writeDerivedModel } from './graph-cache'

/**
 * Writes (once) the K/V-as-inputs U-Net built from `model` into `<cacheDir>/unet-kv-<key>/`,
 * next to links to the original's external data (see graph-cache.ts). `model` is the graph to
 * derive from (the cleaned one when cleanup changed it), its external references resolving
 * against `unetPath`'s folder; `key` must identify it. Returns the path to open.
 */
export async function kvInputsModelPath(
  unetPath: string,
  model: ModelProto,
  projections: readonly KvProjection[],
  cacheDir: string,
  key: string,
): Promise<string> {
  const dir = entryDir(cacheDir, 'unet-kv', key)
  const slot = JSON.stringify(['unet-kv', path.resolve(unetPath)])
  const build = (): ModelProto => kvAsInputs(model, projections)
  return writeDerivedModel(build, path.dirname(unetPath), dir, slot)
}
