import * as ort from 'onnxruntime-node'
import path from 'node:path'
import { createNoiseSource } from '../src/main/engine/sd/noise'
import { txt2img } from '../src/main/engine/sd/pipelines/txt2img'
import { loadSdModel } from '../src/main/engine/sd/sd-model'
import { fmtMs, report, timeIt } from './timing'
import { sd15Model } from './sd15-model'

/**
 * Issue 3's benchmark: the SD1.5-width U-Net at 64×64 latents on CPU, batch 2 (classifier-free
 * guidance). (a) one denoising step through the txt2img pipeline vs a bare `session.run` of the
 * same graph; (b) the K/V-as-inputs U-Net fed the original weights vs the original graph.
 */
export async function benchUnetStep(): Promise<void> {
  const dir = await sd15Model()
  const threads = 0
  const opts: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all', executionProviders: ['cpu'] }
  const bare = await ort.InferenceSession.create(path.join(dir, 'unet', 'model.onnx'), opts)
  const noise = createNoiseSource(1)
  const feeds = {
    sample: new ort.Tensor('float32', noise.normal(2 * 4 * 64 * 64), [2, 4, 64, 64]),
    timestep: new ort.Tensor('int64', BigInt64Array.of(500n, 500n), [2]),
    encoder_hidden_states: new ort.Tensor('float32', noise.normal(2 * 77 * 768), [2, 77, 768]),
  }
  const runs = 2
  const bareTime = await timeIt(() => bare.run(feeds), runs)
  await bare.release()

  const model = await loadSdModel(dir, { provider: 'cpu', threads })
  const steps = 3
  const input = { prompt: 'a painting in the style of van gogh', seed: 1, steps, guidance: 7.5, scheduler: 'ddim' as const, width: 512, height: 512 }
  await txt2img(model, { ...input, steps: 1 })
  const pipe = await txt2img(model, input)
  const pipeStep = pipe.timings.denoiseMs / steps
  await model.dispose()

  const kvModel = await loadSdModel(dir, { provider: 'cpu', threads, cacheDir: path.join(__dirname, '.cache', 'graphs'), kvInputs: true })
  const kvSession = kvModel.unet
  const kvTime = await timeIt(
    () =>
      kvSession.run({
        sample: feeds.sample.data,
        timestep: 500,
        context: feeds.encoder_hidden_states.data,
        batch: 2,
        latentHeight: 64,
        latentWidth: 64,
        contextLength: 77,
        extra: kvModel.kvWeights ?? {},
      }),
    runs,
  )
  await kvModel.dispose()

  report('U-Net step, SD1.5 widths, 64×64 latents, batch 2 (CFG), CPU', [
    ['bare session.run (median)', fmtMs(bareTime.median)],
    ['pipeline step (txt2img, 3 DDIM steps)', `${fmtMs(pipeStep)}  → ${(pipeStep / bareTime.median).toFixed(3)}× bare (goal ≤ 1.05×)`],
    ['K/V-as-inputs U-Net (median)', `${fmtMs(kvTime.median)}  → ${(kvTime.median / bareTime.median).toFixed(3)}× original (goal ≤ 1.05×)`],
  ])
}
