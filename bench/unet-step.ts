import * as ort from 'onnxruntime-node'
import path from 'node:path'
import { createNoiseSource } from '../src/main/engine/sd/noise'
import { txt2img } from '../src/main/engine/sd/pipelines/txt2img'
import { loadSdModel } from '../src/main/engine/sd/sd-model'
import { fmtMs, report } from './timing'
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
  const noise = createNoiseSource(1)
  const feeds = {
    sample: new ort.Tensor('float32', noise.normal(2 * 4 * 64 * 64), [2, 4, 64, 64]),
    timestep: new ort.Tensor('int64', BigInt64Array.of(500n, 500n), [2]),
    encoder_hidden_states: new ort.Tensor('float32', noise.normal(2 * 77 * 768), [2, 77, 768]),
  }
  const rounds = 3
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const timed = async (fn: () => Promise<unknown>): Promise<number> => {
    const t = performance.now()
    await fn()
    return performance.now() - t
  }

  // (a) Bare session vs one txt2img step, interleaved so machine drift hits both alike.
  const bare = await ort.InferenceSession.create(path.join(dir, 'unet', 'model.onnx'), opts)
  const model = await loadSdModel(dir, { provider: 'cpu', threads })
  const input = { prompt: 'a painting in the style of van gogh', seed: 1, steps: 1, guidance: 7.5, scheduler: 'ddim' as const, width: 512, height: 512 }
  await bare.run(feeds)
  await txt2img(model, input)
  const bareA: number[] = []
  const pipe: number[] = []
  for (let r = 0; r < rounds; r++) {
    bareA.push(await timed(() => bare.run(feeds)))
    pipe.push((await txt2img(model, input)).timings.denoiseMs)
  }
  await model.dispose()

  // (b) Bare session vs the K/V-as-inputs U-Net fed the original weights, interleaved.
  const kvModel = await loadSdModel(dir, { provider: 'cpu', threads, cacheDir: path.join(__dirname, '.cache', 'graphs'), kvInputs: true, optimizedGraphCache: false })
  const kvRun = (): Promise<Float32Array> =>
    kvModel.unet.run({
      sample: feeds.sample.data,
      timestep: 500,
      context: feeds.encoder_hidden_states.data,
      batch: 2,
      latentHeight: 64,
      latentWidth: 64,
      contextLength: 77,
      extra: kvModel.kvWeights ?? {},
    })
  await kvRun()
  const bareB: number[] = []
  const kv: number[] = []
  for (let r = 0; r < rounds; r++) {
    bareB.push(await timed(() => bare.run(feeds)))
    kv.push(await timed(kvRun))
  }
  await kvModel.dispose()
  await bare.release()

  report('U-Net step, SD1.5 widths, 64×64 latents, batch 2 (CFG), CPU (medians of interleaved rounds)', [
    ['bare session.run', `${fmtMs(median(bareA))} (pair a), ${fmtMs(median(bareB))} (pair b)`],
    ['pipeline step (txt2img, 1 DDIM step)', `${fmtMs(median(pipe))}  → ${(median(pipe) / median(bareA)).toFixed(3)}× bare (goal ≤ 1.05×)`],
    ['K/V-as-inputs U-Net', `${fmtMs(median(kv))}  → ${(median(kv) / median(bareB)).toFixed(3)}× original (goal ≤ 1.05×)`],
  ])
}
