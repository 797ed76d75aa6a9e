import { afterAll, describe, expect, it } from 'vitest'
import type { TinyVariant } from '../../../src/main/engine/tiny'
import { loadSdModel } from '../../../src/main/engine/sd/sd-model'
import { txt2img } from '../../../src/main/engine/sd/pipelines/txt2img'
import type { Txt2ImgInput } from '../../../src/main/engine/sd/pipelines/txt2img'
import { decodePng } from '../../../src/main/engine/sd/png'
import { createNoiseSource } from '../../../src/main/engine/sd/noise'
import { tempDir } from '../../helpers/temp-dir'
import { tinyModelFactory } from '../../helpers/tiny-models'

const variants: TinyVariant[] = ['sd1', 'sd1-torch2', 'sd1-opset17', 'sd1-float-timestep', 'sd1-no-names', 'sd2']
const tmp = tempDir('sd')
const tiny = tinyModelFactory(tmp.dir)
afterAll(() => tmp.cleanup())

const base: Txt2ImgInput = { prompt: 'a photo of a red circle', seed: 7, steps: 6, guidance: 7.5, scheduler: 'pndm', width: 64, height: 64 }

describe.each(variants)('tiny %s pipeline', (variant) => {
  it('loads, reports its facts and discovers exactly the expected K/V layers', async () => {
    const { dir, facts } = await tiny(variant)
    const model = await loadSdModel(dir, { provider: 'cpu', threads: 1 })
    try {
      expect(model.facts.contextDim).toBe(facts.contextDim)
      expect(model.facts.crossAttentionLayers).toBe(facts.crossAttention.length / 2)
      expect(model.facts.predictionType).toBe(facts.predictionType)
      expect(model.facts.inputIds).toBe(facts.textEncoder.inputIds)
      expect(model.facts.sdVersion).toBe('custom')
      const found = model.kv.projections.map((p) => [p.path, p.initializer, p.contextDim, p.width])
      const expected = facts.crossAttention.map((p) => [p.modulePath, p.initializer, p.shape[0], p.shape[1]])
      expect(found).toEqual(expected)
      expect(model.kv.naming).toBe(facts.unet.namedNodes ? 'node-names' : 'config')
    } finally {
      await model.dispose()
    }
  })

  it('generates deterministic images: same seed byte-identical, another seed different', async () => {
    const { dir } = await tiny(variant)
    const model = await loadSdModel(dir, { provider: 'cpu', threads: 1 })
    try {
      const a = await txt2img(model, base)
      const b = await txt2img(model, base)
      const c = await txt2img(model, { ...base, seed: 8 })
      expect(a.png.equals(b.png)).toBe(true)
      expect(a.png.equals(c.png)).toBe(false)
      const img = decodePng(a.png)
      expect([img.width, img.height]).toEqual([64, 64])
    } finally {
      await model.dispose()
    }
  })

  it('feeding the original K/V weights as inputs reproduces the untouched graph within 1e-5', async () => {
    const { dir, facts } = await tiny(variant)
    const plain = await loadSdModel(dir, { provider: 'cpu', threads: 1 })
    const cache = tempDir('kv')
    const kv = await loadSdModel(dir, { provider: 'cpu', threads: 1, kvInputsCacheDir: cache.dir })
    try {
      const noise = createNoiseSource(3)
      const call = {
        sample: noise.normal(2 * 4 * 8 * 8),
        timestep: 501,
        context: noise.normal(2 * 77 * facts.contextDim),
        batch: 2,
        latentHeight: 8,
        latentWidth: 8,
        contextLength: 77,
      }
      const ref = await plain.unet.run(call)
      expect(kv.unet.inputNames.length).toBe(3 + facts.crossAttention.length)
      const got = await kv.unet.run({ ...call, extra: kv.kvWeights ?? {} })
      let maxAbs = 0
      for (let i = 0; i < ref.length; i++) maxAbs = Math.max(maxAbs, Math.abs(ref[i]! - got[i]!))
      expect(maxAbs).toBeLessThan(1e-5)
      expect(ref.every(Number.isFinite)).toBe(true)
    } finally {
      await plain.dispose()
      await kv.dispose()
      cache.cleanup()
    }
  })
})

describe('schedulers through the pipeline', () => {
  it.each(['ddim', 'pndm', 'euler', 'euler-a'] as const)('%s generates a finite, deterministic image', async (scheduler) => {
    const { dir } = await tiny('sd1')
    const model = await loadSdModel(dir, { provider: 'cpu', threads: 1 })
    try {
      const a = await txt2img(model, { ...base, scheduler })
      const b = await txt2img(model, { ...base, scheduler })
      expect(a.png.equals(b.png)).toBe(true)
    } finally {
      await model.dispose()
    }
  })
})
