import { readFile } from 'node:fs/promises'
import type { ModelProto } from 'onnx-buf'
import { StudioError } from '../../../shared/errors'
import { OnnxFileError, readModel } from '../onnx/model-io'
import type { KvDiscovery } from '../onnx/surgery/kv-discovery'
import { KvDiscoveryError, discoverKv } from '../onnx/surgery/kv-discovery'
import { parseLayoutConfig } from '../onnx/surgery/unet-layout'
import type { ModelFolder } from './model-folder'

/** The U-Net graph and its K/V layers, without opening a session (exports, imports). */
export async function readUnetKv(folder: ModelFolder): Promise<{ unet: ModelProto; kv: KvDiscovery }> {
  let unet: ModelProto
  try {
    unet = await readModel(folder.unet)
  } catch (err) {
    if (err instanceof OnnxFileError) throw new StudioError('invalid-input', err.message)
    throw err
  }
  let layout = null
  if (folder.unetConfig) {
    try {
      layout = parseLayoutConfig(JSON.parse(await readFile(folder.unetConfig, 'utf8')))
    } catch {
      throw new StudioError('invalid-input', `${folder.unetConfig} is not valid JSON; restore it from the original model folder.`)
    }
  }
  try {
    return { unet, kv: discoverKv(unet, layout) }
  } catch (err) {
    if (err instanceof KvDiscoveryError) throw new StudioError('invalid-input', `unet/model.onnx: ${err.message}`)
    throw err
  }
}
