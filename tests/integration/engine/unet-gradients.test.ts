/**
 * End to end: the gradient of a U-Net loss with respect to every cross-attention K/V weight,
 * the quantity the LoRA stage (paper §4.3) trains with, on the tiny U-Nets that reproduce each
 * export's op patterns. The K/V weights are made graph inputs exactly as the studio does
 * (discoverKv → kvAsInputs), the gradient graph is built and run by ONNX Runtime, and every
 * weight's gradient is compared with central finite differences of the float32 forward model.
 *
 * Float32 tolerance (2e-2), from measurements on these models (batch 2, step 1e-2):
 * - Coordinates: the 5 largest-|gradient| elements of each weight; measured worst error 3.2e-3
 *   (sd1 family) and 4.1e-3 (sd2). A random element is useless here: moving one weight
 *   element moves the loss by a tiny gradient × ε while the float32 forward pass re-rounds
 *   all ~900 ops, so its central difference is mostly rounding noise (errors up to 0.3 were
 *   measured at every step).
 * - Directions: 3 random directions per weight (every element moved at once, so the signal is
 *   ‖gradient‖-sized); measured worst error 3.0e-3.
 * So 2e-2 leaves a 5× margin, and it still catches a Mul rule off by 1% (errors 8e-2) or a
 * Softmax rule missing its Σ term (0.7).
 * A step sweep (1e-3 … 3e-2) showed errors falling as 1/ε below 3e-3 (rounding) and growing as
 * ε² above 1e-2 (curvature of softmax attention), i.e. no error floor an analytic mistake would
 * leave; a structural mistake (a missing path, a transposed product) gives O(1) errors. The
 * per-rule tests check each rule to 1e-4 in float64 where ONNX Runtime allows.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, describe, expect, it } from 'vitest'
import { readInitializer, readModel } from '../../../src/main/engine/onnx'
import { discoverKv } from '../../../src/main/engine/onnx/surgery/kv-discovery'
import { kvAsInputs } from '../../../src/main/engine/onnx/surgery/kv-inputs'
import { parseLayoutConfig } from '../../../src/main/engine/onnx/surgery/unet-layout'
import type { TinyPipelineFacts, TinyVariant } from '../../../src/main/engine/tiny'
import { gradCheck, randomTensor, seededRng } from '../../helpers/grad-check'
import { tempDir } from '../../helpers/temp-dir'
import { tinyModelFactory } from '../../helpers/tiny-models'

const tmp = tempDir('unet-grad')
const tiny = tinyModelFactory(tmp.dir)
afterAll(() => tmp.cleanup())

const BATCH = 2
const LATENT = 8
const TOKENS = 8

function timestep(kind: TinyPipelineFacts['unet']['timestep']): ort.Tensor {
  if (kind === 'int64') return new ort.Tensor('int64', BigInt64Array.of(500n, 20n), [BATCH])
  if (kind === 'float') return new ort.Tensor('float32', Float32Array.of(500, 20), [BATCH])
  return new ort.Tensor('float32', Float32Array.of(500), [])
}

const variants: [TinyVariant, string][] = [
  ['sd1', 'torch-1 attention, decomposed LayerNorm'],
  ['sd1-torch2', 'SDPA attention, weights in model.onnx_data'],
  ['sd1-opset17', 'LayerNormalization at opset 17'],
  ['sd2', 'linear proj_in/proj_out, context 48'],
  ['sd1-no-names', 'generic names, weights.pb, float scalar timestep'],
  ['sd1-baddbmm', 'heads folded into the batch, baddbmm ConstantOfShape'],
]

describe.each(variants)('tiny %s U-Net (%s)', (variant) => {
  it('K/V weight gradients of Σ out_sample · W match finite differences', async () => {
    const { dir, facts } = await tiny(variant)
    const unetDir = path.join(dir, 'unet')
    const unet = await readModel(path.join(unetDir, 'model.onnx'))
    const config = await readFile(path.join(unetDir, 'config.json'), 'utf8').then(
      (text) => parseLayoutConfig(JSON.parse(text) as unknown),
      () => null,
    )
    const { projections } = discoverKv(unet, config)
    expect(projections.map((p) => p.initializer)).toEqual(
      facts.crossAttention.map((p) => p.initializer),
    )
    const model = kvAsInputs(unet, projections)

    const rng = seededRng(21)
    const feeds: Record<string, ort.Tensor> = {
      sample: randomTensor('float32', [BATCH, facts.latentChannels, LATENT, LATENT], rng),
      timestep: timestep(facts.unet.timestep),
      encoder_hidden_states: randomTensor('float32', [BATCH, TOKENS, facts.contextDim], rng),
    }
    for (const p of projections) {
      const w = await readInitializer(unet, p.initializer, unetDir)
      feeds[p.initializer] = new ort.Tensor('float32', w.data as Float32Array, w.dims)
    }
    const wrt = projections.map((p) => p.initializer)

    const report = await gradCheck({
      model,
      feeds,
      wrt,
      output: 'out_sample',
      dtype: 'float32',
      modelDir: unetDir,
      eps: 1e-2,
      samples: 5,
      pick: 'largest',
      directions: 3,
      tolerance: 2e-2,
    })
    expect(report.gradient.disconnected).toEqual([])
    expect(Object.keys(report.maxRelError)).toEqual(wrt)
    for (const w of wrt) {
      expect(report.maxRelError[w]).toBeLessThanOrEqual(2e-2)
      expect(report.maxDirectionError[w]).toBeLessThanOrEqual(2e-2)
    }
  })
})
