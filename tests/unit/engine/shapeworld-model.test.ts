/**
 * The ShapeWorld model's pieces, each against an independent expectation: the word-level CLIP
 * vocabulary, the PCA VAE (TS encoder, TS decoder and the ONNX decoder graph), and the graphs
 * the parameter hook produces (the training graph takes every parameter as an input; the
 * exported graphs store exactly the parameter values given).
 */
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { encodeModel } from '../../../src/main/engine/onnx'
import { VAE_SCALING } from '../../../src/main/engine/sd/vae-decoder'
import { vocabularyWords } from '../../../src/main/engine/shapeworld/captions'
import { SHAPEWORLD_TINY_MODEL } from '../../../src/main/engine/shapeworld/model-config'
import {
  buildTextEncoderModel,
  buildTrainingGraph,
  buildUNetModel,
  initialParams,
} from '../../../src/main/engine/shapeworld/model-graphs'
import {
  decodeLatents,
  encodeImage,
  fitPatchPca,
  symmetricEigen,
} from '../../../src/main/engine/shapeworld/model-pca'
import { buildVaeDecoderModel } from '../../../src/main/engine/shapeworld/model-vae'
import {
  buildShapeWorldVocab,
  shapeWorldTokenizer,
} from '../../../src/main/engine/shapeworld/model-vocab'
import { createRng, renderScene, sampleScene } from '../../../src/main/engine/shapeworld/world'

const config = SHAPEWORLD_TINY_MODEL

describe('ShapeWorld vocabulary', () => {
  const vocab = buildShapeWorldVocab()
  const tokenizer = shapeWorldTokenizer(vocab, 16)

  it('encodes every caption word as one token of its own', () => {
    const words = vocabularyWords()
    expect(words.length).toBeGreaterThan(40)
    for (const word of words) expect(tokenizer.tokenize(word)).toEqual([`${word}</w>`])
  })

  it('pads a caption to the window with <|endoftext|>, as SD1 does', () => {
    const enc = tokenizer.encode('a road warning sign')
    expect(enc.tokens.slice(0, 6)).toEqual([
      '<|startoftext|>',
      'a</w>',
      'road</w>',
      'warning</w>',
      'sign</w>',
      '<|endoftext|>',
    ])
    expect(enc.ids).toHaveLength(16)
    expect(new Set(enc.ids.slice(5))).toEqual(new Set([tokenizer.eosId]))
    // CLIP's pooler finds the end of text with ArgMax over the ids: it must be the largest id.
    expect(tokenizer.eosId).toBe(Object.keys(vocab.vocab).length - 1)
  })

  it('still tokenizes words outside the vocabulary, into byte symbols', () => {
    expect(tokenizer.tokenize('zebra')).toEqual(['z', 'e', 'b', 'r', 'a</w>'])
  })
})

describe('ShapeWorld PCA VAE', () => {
  const pca = fitPatchPca(16, 60)

  it('has orthonormal components, largest variance first', () => {
    const d = 192
    for (let a = 0; a < pca.k; a++) {
      for (let b = a; b < pca.k; b++) {
        let dot = 0
        for (let i = 0; i < d; i++) dot += pca.components[a * d + i]! * pca.components[b * d + i]!
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 5)
      }
      if (a > 0) expect(pca.scales[a]!).toBeLessThanOrEqual(pca.scales[a - 1]!)
    }
  })

  it('gives unit-variance latents on fresh scenes and decodes them back closely', () => {
    const rng = createRng(99)
    const n = 40
    const sumSq = new Float64Array(pca.k)
    let err = 0
    for (let s = 0; s < n; s++) {
      const rgb = renderScene(sampleScene(rng))
      const z = new Float32Array(pca.k * 64)
      encodeImage(pca, rgb, 64, z)
      for (let c = 0; c < pca.k; c++) {
        for (let p = 0; p < 64; p++) sumSq[c] = sumSq[c]! + z[c * 64 + p]! ** 2
      }
      const image = decodeLatents(pca, z, 8)
      for (let y = 0; y < 64; y++) {
        for (let x = 0; x < 64; x++) {
          for (let c = 0; c < 3; c++) {
            const want = rgb[(y * 64 + x) * 3 + c]! / 127.5 - 1
            err += (image[(c * 64 + y) * 64 + x]! - want) ** 2
          }
        }
      }
    }
    // Held-out scenes: each channel's second moment is near 1 (it is 1 on the fit data).
    for (let c = 0; c < pca.k; c++) {
      const m2 = sumSq[c]! / (n * 64)
      expect(m2).toBeGreaterThan(0.5)
      expect(m2).toBeLessThan(1.6)
    }
    // 16 of 192 components: measured RMSE 0.080 on 1500 scenes (pixels in [-1, 1]).
    const rmse = Math.sqrt(err / (n * 64 * 64 * 3))
    expect(rmse).toBeLessThan(0.12)
  })

  it('the ONNX decoder graph computes the TS decoder (after the studio divides by 0.18215)', async () => {
    const rng = createRng(5)
    const z = new Float32Array(pca.k * 64)
    encodeImage(pca, renderScene(sampleScene(rng)), 64, z)
    const session = await ort.InferenceSession.create(encodeModel(buildVaeDecoderModel(pca)))
    try {
      const input = Float32Array.from(z, (v) => v / VAE_SCALING)
      const out = await session.run({
        latent_sample: new ort.Tensor('float32', input, [1, pca.k, 8, 8]),
      })
      const sample = out.sample!
      expect(sample.dims).toEqual([1, 3, 64, 64])
      const want = decodeLatents(pca, z, 8)
      const got = sample.data as Float32Array
      let worst = 0
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!))
      expect(worst).toBeLessThan(1e-4)
    } finally {
      await session.release()
    }
  })

  it('symmetricEigen reproduces A·v = λ·v', () => {
    const n = 5
    const a = new Float64Array(n * n)
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = Math.sin(i * 3 + j)
    const { values, vectors } = symmetricEigen(a, n)
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let av = 0
        for (let j = 0; j < n; j++) av += a[i * n + j]! * vectors[j * n + k]!
        expect(av).toBeCloseTo(values[k]! * vectors[i * n + k]!, 10)
      }
    }
  })
})

describe('ShapeWorld graphs', () => {
  const vocabSize = Object.keys(buildShapeWorldVocab().vocab).length
  const params = initialParams(config, vocabSize, 7)

  it('draws the same starting weights for the same seed, other ones for another seed', () => {
    const again = initialParams(config, vocabSize, 7)
    const other = initialParams(config, vocabSize, 8)
    expect([...again.keys()]).toEqual([...params.keys()])
    for (const [key, p] of params) {
      expect(again.get(key)!.values).toEqual(p.values)
    }
    const key = 'conv_in.weight'
    expect(other.get(key)!.values).not.toEqual(params.get(key)!.values)
  })

  it('the training graph takes every parameter as an input and joins the two networks', () => {
    const graph = buildTrainingGraph(config, vocabSize)
    const inputs = new Set(graph.model.graph!.input.map((i) => i.name))
    expect([...graph.inputs.keys()]).toEqual([...params.keys()])
    for (const name of graph.inputs.values()) expect(inputs.has(name)).toBe(true)
    expect(inputs.has('encoder_hidden_states')).toBe(false)
    expect(graph.model.graph!.initializer.some((t) => graph.inputs.has(t.name))).toBe(false)
    const crossKv = graph.model.graph!.node.filter(
      (n) => n.opType === 'MatMul' && n.input[0] === 'last_hidden_state',
    )
    // tiny config: 2 down + 1 mid + 4 up transformer blocks, K and V each.
    expect(crossKv).toHaveLength(14)
  })

  it('the exported graphs store the given parameter values', () => {
    const shifted = new Map(
      [...params].map(([k, p]) => [k, { dims: p.dims, values: p.values.map((v) => v + 1) }]),
    )
    const unet = buildUNetModel(config, shifted)
    const text = buildTextEncoderModel(config, vocabSize, shifted)
    const stored = new Map(
      [...unet.model.graph!.initializer, ...text.graph!.initializer].map((t) => [t.name, t]),
    )
    const conv = stored.get('conv_in.weight')!
    const values = new Float32Array(
      conv.rawData.buffer.slice(
        conv.rawData.byteOffset,
        conv.rawData.byteOffset + conv.rawData.byteLength,
      ),
    )
    expect(values).toEqual(shifted.get('conv_in.weight')!.values)
    const kv = unet.crossAttention[0]!
    expect(kv.modulePath).toBe('down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k')
    const k = stored.get(kv.initializer)!
    const kValues = new Float32Array(
      k.rawData.buffer.slice(k.rawData.byteOffset, k.rawData.byteOffset + k.rawData.byteLength),
    )
    expect(kValues).toEqual(shifted.get(`${kv.modulePath}.weight`)!.values)
  })
})
