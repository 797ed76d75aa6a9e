import { existsSync, readdirSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { StudioError } from '../../../shared/errors'

/**
 * The diffusers / Optimum ONNX folder layout. Paths are checked up front so a missing piece is
 * reported by name with the fix, before any session is created.
 */
export interface ModelFolder {
  readonly dir: string
  readonly textEncoder: string
  readonly unet: string
  readonly vaeDecoder: string
  readonly vaeEncoder: string | null
  readonly tokenizerDir: string
  readonly schedulerConfig: string
  readonly unetConfig: string | null
  /** Bytes per component, counting external data files next to each model.onnx. */
  readonly sizes: Readonly<Record<string, number>>
}

const REQUIRED = [
  ['text_encoder/model.onnx', 'the CLIP text encoder'],
  ['unet/model.onnx', 'the U-Net'],
  ['vae_decoder/model.onnx', 'the VAE decoder'],
  ['tokenizer/vocab.json', "the tokenizer's vocabulary"],
  ['tokenizer/merges.txt', "the tokenizer's merges (a CLIP tokenizer needs vocab.json and merges.txt)"],
  ['scheduler/scheduler_config.json', 'the scheduler configuration'],
] as const

const FIX =
  'Choose the top folder of a Stable Diffusion model exported to ONNX with the diffusers conversion script or Optimum (it holds model_index.json, text_encoder/, unet/, vae_decoder/, tokenizer/ and scheduler/).'

function folderBytes(dir: string): number {
  if (!existsSync(dir)) return 0
  let total = 0
  for (const name of readdirSync(dir)) {
    const st = statSync(path.join(dir, name))
    if (st.isFile()) total += st.size
  }
  return total
}

export async function resolveModelFolder(dirInput: string): Promise<ModelFolder> {
  const dir = path.resolve(dirInput)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new StudioError('not-found', `The model folder ${dir} does not exist. ${FIX}`)
  }
  if (!existsSync(path.join(dir, 'model_index.json'))) {
    throw new StudioError('invalid-input', `${dir} has no model_index.json, so it is not a diffusers model folder. ${FIX}`)
  }
  try {
    JSON.parse(await readFile(path.join(dir, 'model_index.json'), 'utf8'))
  } catch {
    throw new StudioError('invalid-input', `${path.join(dir, 'model_index.json')} is not valid JSON; re-export the model or restore the file.`)
  }
  for (const [rel, what] of REQUIRED) {
    if (!existsSync(path.join(dir, rel))) {
      throw new StudioError('invalid-input', `The model folder ${dir} is missing ${rel} (${what}). ${FIX}`)
    }
  }
  const encoder = path.join(dir, 'vae_encoder', 'model.onnx')
  const unetConfig = path.join(dir, 'unet', 'config.json')
  const sizes: Record<string, number> = {}
  for (const c of ['text_encoder', 'unet', 'vae_decoder', 'vae_encoder']) sizes[c] = folderBytes(path.join(dir, c))
  return {
    dir,
    textEncoder: path.join(dir, 'text_encoder', 'model.onnx'),
    unet: path.join(dir, 'unet', 'model.onnx'),
    vaeDecoder: path.join(dir, 'vae_decoder', 'model.onnx'),
    vaeEncoder: existsSync(encoder) ? encoder : null,
    tokenizerDir: path.join(dir, 'tokenizer'),
    schedulerConfig: path.join(dir, 'scheduler', 'scheduler_config.json'),
    unetConfig: existsSync(unetConfig) ? unetConfig : null,
    sizes,
  }
}
