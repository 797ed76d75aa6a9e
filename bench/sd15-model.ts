import { existsSync } from 'node:fs'
import path from 'node:path'
import { writeTinyPipeline } from '../src/main/engine/tiny'

/**
 * The SD1.5-width pipeline with random weights (3.4 GB U-Net), generated once into
 * bench/.cache (git-ignored) and reused by later runs.
 */
export async function sd15Model(): Promise<string> {
  const dir = path.resolve(__dirname, '.cache', 'sd15-width-seed1')
  if (!existsSync(path.join(dir, 'model_index.json'))) {
    console.log(`generating the SD1.5-width random model into ${dir} (about a minute, 3.4 GB)…`)
    const t = performance.now()
    await writeTinyPipeline(dir, { variant: 'sd15-width', seed: 1 })
    console.log(`  done in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  }
  return dir
}
