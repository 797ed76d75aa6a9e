import * as ort from 'onnxruntime-node'
import path from 'node:path'
import { buildGradientModel } from '../src/main/engine/onnx/autodiff/build-gradient'
import { GRADIENT_SESSION_OPTIONS, openModelSession } from '../src/main/engine/onnx/autodiff/session'
import { kvAsInputs } from '../src/main/engine/onnx/surgery/kv-inputs'
import { createNoiseSource } from '../src/main/engine/sd/noise'
import { resolveModelFolder } from '../src/main/engine/sd/model-folder'
import { readUnetKv } from '../src/main/engine/sd/unet-kv'
import { readKvWeights } from '../src/main/engine/erasure/edit-artifact'

/**
 * One configuration of the autodiff benchmark in its own process (so peak RSS is its own):
 * argv = model dir, latent size, mode ('forward' | 'backward'). Prints one JSON line.
 */
async function main(): Promise<void> {
  const [dir, sizeArg, mode] = process.argv.slice(2)
  const size = Number(sizeArg)
  const folder = await resolveModelFolder(dir!)
  const { unet, kv } = await readUnetKv(folder)
  const modelDir = path.dirname(folder.unet)
  const weights = await readKvWeights(unet, modelDir, kv.projections)
  const forward = kvAsInputs(unet, kv.projections)
  const rng = createNoiseSource(1)
  const feeds: Record<string, ort.Tensor> = {
    sample: new ort.Tensor('float32', rng.normal(4 * size * size), [1, 4, size, size]),
    timestep: new ort.Tensor('int64', BigInt64Array.of(500n), [1]),
    encoder_hidden_states: new ort.Tensor('float32', rng.normal(77 * 768), [1, 77, 768]),
  }
  for (const p of kv.projections) feeds[p.initializer] = new ort.Tensor('float32', weights.get(p.path)!.b, [p.contextDim, p.width])
  // Forward: the studio's inference options; fwd+bwd: the gradient options the LoRA stage uses.
  // BENCH_ORT_OPTIONS (JSON) is merged over either, to try other settings.
  const base: ort.InferenceSession.SessionOptions =
    mode === 'backward' ? { ...GRADIENT_SESSION_OPTIONS } : { graphOptimizationLevel: 'all' }
  const options: ort.InferenceSession.SessionOptions = {
    ...base,
    executionProviders: ['cpu'],
    ...(JSON.parse(process.env.BENCH_ORT_OPTIONS ?? '{}') as object),
  }
  let model = forward
  let buildMs = 0
  let remat = 0
  if (mode === 'backward') {
    const t = performance.now()
    const g = await buildGradientModel(forward, {
      wrt: kv.projections.map((p) => p.initializer),
      loss: { kind: 'mse', output: 'out_sample', targetInput: 'target' },
      probeFeeds: feeds,
      modelDir,
    })
    buildMs = performance.now() - t
    model = g.model
    remat = g.rematerialized.length
    feeds.target = new ort.Tensor('float32', rng.normal(4 * size * size), [1, 4, size, size])
  }
  const s = await openModelSession(model, { modelDir, sessionOptions: options })
  await s.session.run(feeds)
  const times: number[] = []
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    await s.session.run(feeds)
    times.push(performance.now() - t)
  }
  await s.dispose()
  console.log(JSON.stringify({ mode, size, ms: Math.min(...times), buildMs, remat, rssGiB: process.resourceUsage().maxRSS / 1024 / 1024 }))
}

void main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
