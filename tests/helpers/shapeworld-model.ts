import { SHAPEWORLD_TINY_MODEL } from '../../src/main/engine/shapeworld/model-config'
import { writeShapeWorldPipeline } from '../../src/main/engine/shapeworld/model-export'
import { initialParams } from '../../src/main/engine/shapeworld/model-graphs'
import { fitPatchPca } from '../../src/main/engine/shapeworld/model-pca'
import { buildShapeWorldVocab } from '../../src/main/engine/shapeworld/model-vocab'

/**
 * An untrained ShapeWorld export (the tiny test config, seeded starting weights) in `dir`: the
 * layout, tokenizer, v-prediction scheduler and K/V patterns of the shipped model, written in
 * about a second. It draws noise-like scenes; use it where the pipeline matters, not the images.
 */
export async function writeUntrainedShapeWorld(dir: string, seed = 5): Promise<void> {
  const config = SHAPEWORLD_TINY_MODEL
  const vocab = buildShapeWorldVocab()
  const params = initialParams(config, Object.keys(vocab.vocab).length, seed)
  await writeShapeWorldPipeline(
    dir,
    { config, vocab, params, pca: fitPatchPca(config.latentChannels, config.vaeFitImages) },
    { seed, step: 0, totalSteps: 0, batch: 0, smoothedLoss: null },
  )
}
