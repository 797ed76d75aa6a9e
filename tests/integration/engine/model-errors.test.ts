import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { GraphBuilder } from '../../../src/main/engine/onnx/graph-builder'
import { writeModel } from '../../../src/main/engine/onnx/model-io'
import { txt2img } from '../../../src/main/engine/sd/pipelines/txt2img'
import { loadSdModel } from '../../../src/main/engine/sd/sd-model'
import { tempDir } from '../../helpers/temp-dir'
import { tinyModelFactory } from '../../helpers/tiny-models'

const tmp = tempDir('bad-models')
const tiny = tinyModelFactory(tmp.dir)
afterAll(() => tmp.cleanup())

/** A fresh copy of the tiny sd1 folder that a test may break. */
async function brokenCopy(name: string, breakIt: (dir: string) => void | Promise<void>): Promise<string> {
  const { dir } = await tiny('sd1')
  const copy = path.join(tmp.dir, name)
  cpSync(dir, copy, { recursive: true })
  await breakIt(copy)
  return copy
}

const load = (dir: string) => loadSdModel(dir, { provider: 'cpu', threads: 1 })

describe('bad model folders give clear errors naming the file and the fix', () => {
  it('a missing component', async () => {
    const dir = await brokenCopy('missing-vae', (d) => rmSync(path.join(d, 'vae_decoder'), { recursive: true }))
    await expect(load(dir)).rejects.toThrow(/missing vae_decoder\/model\.onnx \(the VAE decoder\)\. Choose the top folder/)
  })

  it('a folder that is not a model at all', async () => {
    const dir = path.join(tmp.dir, 'just-a-folder')
    mkdirSync(dir)
    await expect(load(dir)).rejects.toThrow(/no model_index\.json, so it is not a diffusers model folder/)
  })

  it('a truncated ONNX file', async () => {
    const dir = await brokenCopy('truncated', (d) => {
      const f = path.join(d, 'unet', 'model.onnx')
      truncateSync(f, Math.floor(readFileSync(f).length / 3))
    })
    await expect(load(dir)).rejects.toThrow(/unet\/model\.onnx is not a valid ONNX file .*re-export the model or check the download/)
  })

  it('a truncated text encoder (caught when ONNX Runtime loads it)', async () => {
    const dir = await brokenCopy('truncated-te', (d) => truncateSync(path.join(d, 'text_encoder', 'model.onnx'), 1000))
    await expect(load(dir)).rejects.toThrow(/text_encoder\/model\.onnx .*could not be loaded by ONNX Runtime.*re-export or re-download/)
  })

  it('a graph that is not a U-Net', async () => {
    const dir = await brokenCopy('not-unet', (d) =>
      copyFileSync(path.join(d, 'vae_decoder', 'model.onnx'), path.join(d, 'unet', 'model.onnx')),
    )
    await expect(load(dir)).rejects.toThrow(/no "encoder_hidden_states" input, so it is not a Stable Diffusion U-Net/)
  })

  it('a fused-attention graph', async () => {
    const dir = await brokenCopy('fused', async (d) => {
      const g = new GraphBuilder({ extraOpsets: [{ domain: 'com.microsoft', version: 1 }] })
      g.input('sample', 'float32', ['batch', 4, 8, 8])
      g.input('timestep', 'int64', ['batch'])
      g.input('encoder_hidden_states', 'float32', ['batch', 77, 32])
      const q = g.op('Reshape', ['sample', g.initializer(BigInt64Array.of(0n, -1n, 32n), [3])])
      g.node('MultiHeadAttention', [q, 'encoder_hidden_states', 'encoder_hidden_states'], {
        domain: 'com.microsoft',
        outputs: ['out_sample'],
      })
      g.output('out_sample', 'float32', ['batch', 8, 32])
      await writeModel(g.build(), path.join(d, 'unet', 'model.onnx'))
    })
    await expect(load(dir)).rejects.toThrow(/uses fused attention \(com\.microsoft::MultiHeadAttention.*Export the model without attention fusion/)
  })

  it('a tokenizer without merges', async () => {
    const dir = await brokenCopy('no-merges', (d) => rmSync(path.join(d, 'tokenizer', 'merges.txt')))
    await expect(load(dir)).rejects.toThrow(/missing tokenizer\/merges\.txt .*a CLIP tokenizer needs vocab\.json and merges\.txt/)
  })

  it('a malformed vocabulary', async () => {
    const dir = await brokenCopy('bad-vocab', (d) => writeFileSync(path.join(d, 'tokenizer', 'vocab.json'), '{"a": '))
    await expect(load(dir)).rejects.toThrow(/vocab\.json/)
  })

  it('an image size that is not a multiple of 8', async () => {
    const { dir } = await tiny('sd1')
    const model = await load(dir)
    try {
      const run = txt2img(model, { prompt: 'x', seed: 1, steps: 2, guidance: 7.5, scheduler: 'ddim', width: 60, height: 64 })
      await expect(run).rejects.toThrow(/image width 60 is not a positive multiple of 8/)
    } finally {
      await model.dispose()
    }
  })
})
