import * as ort from 'onnxruntime-node'
import path from 'node:path'
import { buildGradientModel } from '../../onnx/autodiff/build-gradient'
import type { GradientModel } from '../../onnx/autodiff/build-gradient'
import { GRADIENT_SESSION_OPTIONS, openModelSession } from '../../onnx/autodiff/session'
import type { ModelSession } from '../../onnx/autodiff/session'
import { kvAsInputs } from '../../onnx/surgery/kv-inputs'
import type { SdModel } from '../../sd/sd-model'
import { readUnetKv } from '../../sd/unet-kv'
import type { AlignmentModel } from './align'

const TARGET = 'realera_target'

/**
 * The U-Net as prediction-noise alignment sees it: a K/V-as-inputs forward for the targets
 * (original weights) and a gradient graph — built by our ONNX autodiff and run in an ordinary
 * session — returning the MSE against a target and its gradient w.r.t. every K/V weight.
 * Shapes are fixed at construction (batch 1, the given latent size).
 */
export async function createUnetAlignment(model: SdModel, latentDims: readonly [number, number, number, number]): Promise<AlignmentModel & { readonly gradient: GradientModel; dispose(): Promise<void> }> {
  if (!model.kvWeights) throw new Error('load the model with K/V weights as inputs for LoRA alignment')
  const { unet, kv } = await readUnetKv(model.folder)
  const forward = kvAsInputs(unet, kv.projections)
  const d = model.facts.contextDim
  const length = model.tokenizer.maxLength
  const probeFeeds: Record<string, ort.Tensor> = {
    sample: new ort.Tensor('float32', new Float32Array(latentDims.reduce((a, b) => a * b, 1)), [...latentDims]),
    timestep: model.unet.timestepTensor(500, 1),
    encoder_hidden_states: new ort.Tensor('float32', new Float32Array(length * d), [1, length, d]),
    ...model.kvWeights,
  }
  const modelDir = path.dirname(model.folder.unet)
  const wrt = kv.projections.map((p) => p.initializer)
  const gradient = await buildGradientModel(forward, { wrt, loss: { kind: 'mse', output: 'out_sample', targetInput: TARGET }, probeFeeds, modelDir })
  let session: ModelSession | null = await openModelSession(gradient.model, { modelDir, sessionOptions: { ...GRADIENT_SESSION_OPTIONS, executionProviders: [model.runtime.provider] } })
  const kvFeeds = (weights: ReadonlyMap<string, Float32Array>): Record<string, ort.Tensor> => {
    const feeds: Record<string, ort.Tensor> = {}
    for (const p of kv.projections) feeds[p.initializer] = new ort.Tensor('float32', weights.get(p.initializer)!, [p.contextDim, p.width])
    return feeds
  }
  const [, , h, w] = latentDims
  return {
    latentDims,
    contextLength: length,
    contextDim: d,
    gradient,
    predict: (sample, timestep, context, weights) =>
      model.unet.run({ sample, timestep, context, batch: 1, latentHeight: h, latentWidth: w, contextLength: length, extra: kvFeeds(weights) }),
    async lossAndGrads(sample, timestep, context, target, weights) {
      if (!session) throw new Error('the alignment model was disposed')
      const out = await session.session.run({
        sample: new ort.Tensor('float32', sample, [...latentDims]),
        timestep: model.unet.timestepTensor(timestep, 1),
        encoder_hidden_states: new ort.Tensor('float32', context, [1, length, d]),
        [TARGET]: new ort.Tensor('float32', target, [...latentDims]),
        ...kvFeeds(weights),
      })
      const grads = new Map<string, Float32Array>()
      for (const name of wrt) grads.set(name, out[gradient.grads[name]!]!.data as Float32Array)
      return { loss: (out[gradient.loss]!.data as Float32Array)[0]!, grads }
    },
    async dispose() {
      await session?.dispose()
      session = null
    },
  }
}
