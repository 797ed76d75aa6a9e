/**
 * Sample grids during training: the exported folder is loaded by the studio's own loader and
 * drawn by its txt2img (DDIM), one row per prompt and one column per seed, so a grid also
 * proves the export runs in the studio.
 */
import { PNG } from 'pngjs'
import { txt2img } from '../sd/pipelines/txt2img'
import { loadSdModel } from '../sd/sd-model'

export interface SampleGridSpec {
  readonly prompts: readonly string[]
  readonly seeds: readonly number[]
  readonly steps: number
  readonly guidance: number
}

/** Plain prompts, a synonym and associated phrases: what the accuracy targets cover. */
export const DEFAULT_SAMPLE_GRID: SampleGridSpec = {
  prompts: [
    'a red circle',
    'a photo of a blue square',
    'a green triangle on a white background',
    'a yellow star',
    'a purple diamond',
    'an orange circle on a black background',
    'a photo of a crimson disc',
    'a ruby',
    'the sky',
    'a pine tree',
  ],
  seeds: [1, 2, 3, 4],
  steps: 20,
  guidance: 5,
}

const SCALE = 2
const GAP = 2

/** Generates the grid with the model in `modelDir`; returns the PNG bytes. */
export async function sampleGrid(
  modelDir: string,
  spec: SampleGridSpec,
  threads = 1,
): Promise<Buffer> {
  const model = await loadSdModel(modelDir, { provider: 'cpu', threads })
  try {
    const tile = 64 * SCALE
    const cols = spec.seeds.length
    const rows = spec.prompts.length
    const grid = new PNG({ width: cols * (tile + GAP) - GAP, height: rows * (tile + GAP) - GAP })
    grid.data.fill(255)
    for (const [r, prompt] of spec.prompts.entries()) {
      for (const [c, seed] of spec.seeds.entries()) {
        const out = await txt2img(model, {
          prompt,
          seed,
          steps: spec.steps,
          guidance: spec.guidance,
          scheduler: 'ddim',
          width: 64,
          height: 64,
        })
        const image = PNG.sync.read(out.png)
        for (let y = 0; y < tile; y++) {
          for (let x = 0; x < tile; x++) {
            const from = (Math.floor(y / SCALE) * image.width + Math.floor(x / SCALE)) * 4
            const to = ((r * (tile + GAP) + y) * grid.width + c * (tile + GAP) + x) * 4
            image.data.copy(grid.data, to, from, from + 4)
          }
        }
      }
    }
    return PNG.sync.write(grid)
  } finally {
    await model.dispose()
  }
}
