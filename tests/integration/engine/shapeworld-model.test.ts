/**
 * The exported ShapeWorld folder in the studio: loadSdModel opens it like any diffusers ONNX
 * export, K/V discovery finds every cross-attention layer by its diffusers path, txt2img draws
 * 64×64 images from it, and the exported text encoder + U-Net compute exactly what the joint
 * training graph computed. Tiny config, seeded starting weights (what training starts from).
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeModel, readModel } from '../../../src/main/engine/onnx'
import { discoverKv } from '../../../src/main/engine/onnx/surgery/kv-discovery'
import { decodePng } from '../../../src/main/engine/sd/png'
import { txt2img } from '../../../src/main/engine/sd/pipelines/txt2img'
import { computeAlphasCumprod } from '../../../src/main/engine/sd/schedulers/common'
import { parseSchedulerConfig } from '../../../src/main/engine/sd/schedulers'
import { loadSdModel } from '../../../src/main/engine/sd/sd-model'
import type { SdModel } from '../../../src/main/engine/sd/sd-model'
import { SHAPEWORLD_TINY_MODEL } from '../../../src/main/engine/shapeworld/model-config'
import { writeShapeWorldPipeline } from '../../../src/main/engine/shapeworld/model-export'
import {
  buildTrainingGraph,
  buildUNetModel,
  initialParams,
} from '../../../src/main/engine/shapeworld/model-graphs'
import { fitPatchPca } from '../../../src/main/engine/shapeworld/model-pca'
import {
  buildShapeWorldVocab,
  shapeWorldTokenizer,
} from '../../../src/main/engine/shapeworld/model-vocab'
import { TRAIN_SCHEDULE } from '../../../src/main/engine/shapeworld/train-data'
import { sampleGrid } from '../../../src/main/engine/shapeworld/train-samples'
import { tempDir } from '../../helpers/temp-dir'

const config = SHAPEWORLD_TINY_MODEL
const tmp = tempDir('shapeworld-model')
const dir = path.join(tmp.dir, 'model')
const vocab = buildShapeWorldVocab()
const vocabSize = Object.keys(vocab.vocab).length
const params = initialParams(config, vocabSize, 5)
let model: SdModel

beforeAll(async () => {
  await writeShapeWorldPipeline(
    dir,
    { config, vocab, params, pca: fitPatchPca(config.latentChannels, config.vaeFitImages) },
    { seed: 5, step: 0, totalSteps: 0, batch: 0, smoothedLoss: null },
  )
  model = await loadSdModel(dir, { provider: 'cpu', threads: 1 })
})
afterAll(async () => {
  await model.dispose()
  tmp.cleanup()
})

describe('the exported ShapeWorld model', () => {
  it('loads with the facts of its config', () => {
    expect(model.facts.latentChannels).toBe(config.latentChannels)
    expect(model.facts.contextDim).toBe(config.text.hidden)
    expect(model.facts.inputIds).toBe('int32')
    expect(model.facts.timestep).toBe('int64-batch')
    expect(model.facts.predictionType).toBe('v_prediction')
    expect(model.facts.hasVaeEncoder).toBe(false)
    expect(model.tokenizer.maxLength).toBe(config.text.maxLength)
  })

  it('K/V discovery finds every cross-attention layer, named by its diffusers path', async () => {
    const { crossAttention } = buildUNetModel(config, params)
    // 2 resolution levels, one layer each, cross-attention everywhere: 2 + 1 + 4 layers.
    expect(crossAttention).toHaveLength(14)
    const expected = crossAttention.map((p) => [
      p.modulePath,
      p.initializer,
      p.shape[0],
      p.shape[1],
    ])
    const found = model.kv.projections.map((p) => [p.path, p.initializer, p.contextDim, p.width])
    expect(found).toEqual(expected)
    expect(model.kv.naming).toBe('node-names')
    // The same from the file alone, as `realera model inspect` does it.
    const again = discoverKv(await readModel(path.join(dir, 'unet', 'model.onnx')), null)
    expect(again.projections.map((p) => p.path)).toEqual(crossAttention.map((p) => p.modulePath))
    expect(model.facts.crossAttentionLayers).toBe(7)
  })

  it('tokenizes prompts as training did', () => {
    const trained = shapeWorldTokenizer(vocab, config.text.maxLength)
    for (const prompt of ['a ruby', 'a photo of a crimson disc', 'an unknown zebra']) {
      expect(Array.from(model.tokenizer.encode(prompt).ids)).toEqual(
        Array.from(trained.encode(prompt).ids),
      )
    }
  })

  it('ships the noise schedule it was trained with', async () => {
    const shipped: unknown = JSON.parse(
      await readFile(path.join(dir, 'scheduler', 'scheduler_config.json'), 'utf8'),
    )
    const alphas = computeAlphasCumprod(parseSchedulerConfig(shipped, 'ddim'))
    expect(alphas).toEqual(computeAlphasCumprod(parseSchedulerConfig(TRAIN_SCHEDULE, 'ddim')))
  })

  it('generates 64×64 images with txt2img: seeded, and the prompt matters', async () => {
    const input = {
      prompt: 'a red circle',
      seed: 3,
      steps: 8,
      guidance: 5,
      scheduler: 'ddim',
      width: 64,
      height: 64,
    } as const
    const a = await txt2img(model, input)
    const b = await txt2img(model, input)
    const c = await txt2img(model, { ...input, prompt: 'a blue square' })
    expect(a.png.equals(b.png)).toBe(true)
    expect(a.png.equals(c.png)).toBe(false)
    const image = decodePng(a.png)
    expect([image.width, image.height]).toEqual([64, 64])
    const grid = decodePng(
      await sampleGrid(dir, {
        prompts: ['a red circle', 'the sky'],
        seeds: [1, 2],
        steps: 3,
        guidance: 5,
      }),
    )
    expect([grid.width, grid.height]).toEqual([2 * 128 + 2, 2 * 128 + 2])
  })

  it('its text encoder and U-Net compute what the joint training graph computed', async () => {
    const graph = buildTrainingGraph(config, vocabSize)
    const batch = 2
    const h = 8
    const tokenizer = shapeWorldTokenizer(vocab, config.text.maxLength)
    const ids = new Int32Array(batch * config.text.maxLength)
    ids.set(tokenizer.encode('a ruby').ids, 0)
    ids.set(tokenizer.encode('a photo of a green triangle').ids, config.text.maxLength)
    const sample = Float32Array.from({ length: batch * config.latentChannels * h * h }, (_, i) =>
      Math.sin(i * 0.37),
    )
    const timesteps = BigInt64Array.of(900n, 40n)
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int32', ids, [batch, config.text.maxLength]),
      sample: new ort.Tensor('float32', sample, [batch, config.latentChannels, h, h]),
      timestep: new ort.Tensor('int64', timesteps, [batch]),
    }
    for (const [key, p] of params) {
      feeds[graph.inputs.get(key)!] = new ort.Tensor('float32', p.values, [...p.dims])
    }
    const joint = await ort.InferenceSession.create(encodeModel(graph.model))
    try {
      const want = (await joint.run(feeds)).out_sample!.data as Float32Array
      const { hidden } = await model.textEncoder.encode(ids, batch)
      const got = await model.unet.run({
        sample,
        timestep: 0,
        context: hidden,
        batch,
        latentHeight: h,
        latentWidth: h,
        contextLength: config.text.maxLength,
        extra: { timestep: new ort.Tensor('int64', timesteps, [batch]) },
      })
      let worst = 0
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!))
      // Same weights, same ops; only ORT's fusions differ between the sessions.
      expect(worst).toBeLessThan(1e-4)
    } finally {
      await joint.release()
    }
  })
})
