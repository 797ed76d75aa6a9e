import * as ort from 'onnxruntime-node'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Experiment, Project, StartErase } from '../../../src/shared/contract'
import { erasureParamsSchema, gallerySettingsSchema } from '../../../src/shared/contract'
import { decodeSafeTensors, toFloat32Array } from '../../../src/main/engine/export/safetensors'
import { createNoiseSource } from '../../../src/main/engine/sd/noise'
import { promptEncoder } from '../../../src/main/engine/sd/prompt-encoder'
import { loadSdModel } from '../../../src/main/engine/sd/sd-model'
import type { SdModel } from '../../../src/main/engine/sd/sd-model'
import { inProcessHost, testContext } from '../../helpers/in-process-host'
import { tinyModelFactory } from '../../helpers/tiny-models'

const host = inProcessHost('lora')
const tiny = tinyModelFactory(path.join(host.root, 'models'))
let project: Project
let modelId: string
let modelDir: string
afterAll(() => host.close())

const concept = 'a painting in the style of van gogh'
const anchor = 'a painting in the style of art'
const preserved = 'a painting in the style of a red circle'

/**
 * λ = 1000 keeps the closed form next to the original weights, so the LoRA stage has the
 * erasure to do by itself (with the default λ the tiny model's closed form already maps the
 * concept onto the anchor, leaving a loss near 0). lr = 3e-3 instead of the paper's 1e-5: the
 * tiny model's weights are O(0.1) and 60 steps must show the trend.
 */
const input = (epochs: number): StartErase => ({
  kind: 'erase',
  projectId: project.id,
  modelId,
  spec: { preset: 'custom', concepts: [{ concept: 'van gogh', anchor: 'art', templates: ['a painting in the style of {}'] }], preserve: ['a red circle'], probes: [] },
  params: erasureParamsSchema.parse({ variant: 'full', m: 4, n: 4, lambda: 1000, epochs, learningRate: 3e-3, loraRank: 2, loraAlpha: 2, loraImages: 2, seed: 11 }),
  gallery: gallerySettingsSchema.parse({ enabled: false, steps: 4, size: 64 }),
})

beforeAll(async () => {
  modelDir = (await tiny('sd1')).dir
  project = await host.s.projects.create({ name: 'LoRA' })
  modelId = (await host.s.models.register(project, { dir: modelDir }, testContext())).id
})

/** K/V feeds with the experiment's whole edit (closed form + LoRA) or the original weights. */
function feeds(model: SdModel, exp: Experiment | null): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = { ...model.kvWeights }
  if (!exp) return out
  const deltas = new Map(host.s.exports.layerDeltas(project, exp.id).deltas.map((d) => [d.path, d.delta]))
  for (const p of model.kv.projections) {
    const b = Float32Array.from(model.kvWeights![p.initializer]!.data as Float32Array)
    const delta = deltas.get(p.path)!
    for (let k = 0; k < p.contextDim; k++) for (let c = 0; c < p.width; c++) b[k * p.width + c] = b[k * p.width + c]! + delta[c * p.contextDim + k]!
    out[p.initializer] = new ort.Tensor('float32', b, [p.contextDim, p.width])
  }
  return out
}

describe('LoRA prediction-noise alignment (full variant) on a tiny model', () => {
  let trained: Experiment

  it('trains: the loss falls in trend and the erasure prompt moves toward the anchor', async () => {
    trained = await host.s.erase.run(project, input(60), testContext())
    expect(trained.status).toBe('succeeded')
    expect(trained.lossCurve).toHaveLength(60)
    // The per-step loss swings by orders of magnitude with the sampled timestep; the held-out
    // eq. 8 loss on fixed (z_t, t) is the trend. Measured: 6.3e-5 → 3.1e-5 over 60 steps.
    const evals = trained.evalCurve.map(([, v]) => v)
    expect(trained.evalCurve[0]![0]).toBe(0)
    expect(evals[evals.length - 1]!).toBeLessThan(0.7 * evals[0]!)

    const model = await loadSdModel(modelDir, { provider: 'cpu', threads: 1, kvInputsCacheDir: path.join(host.root, 'kv') })
    try {
      const enc = promptEncoder(model)
      const [c, a, p] = await enc.encode([concept, anchor, preserved])
      const rng = createNoiseSource(99)
      const run = (ctx: Float32Array, f: Record<string, ort.Tensor>, z: Float32Array, t: number): Promise<Float32Array> =>
        model.unet.run({ sample: z, timestep: t, context: ctx, batch: 1, latentHeight: 8, latentWidth: 8, contextLength: 77, extra: f })
      const dist = (x: Float32Array, y: Float32Array): number => Math.sqrt(x.reduce((s, v, i) => s + (v - y[i]!) ** 2, 0))
      let before = 0
      let after = 0
      let conceptShift = 0
      let gapCP = 0
      let preservedShift = 0
      for (const t of [100, 400, 700, 900]) {
        const z = rng.normal(256)
        const target = await run(a!.hidden, feeds(model, null), z, t)
        before += dist(await run(c!.hidden, feeds(model, null), z, t), target)
        after += dist(await run(c!.hidden, feeds(model, trained), z, t), target)
        conceptShift += dist(await run(c!.hidden, feeds(model, trained), z, t), await run(c!.hidden, feeds(model, null), z, t))
        const orig = await run(p!.hidden, feeds(model, null), z, t)
        gapCP += dist(orig, await run(c!.hidden, feeds(model, null), z, t))
        preservedShift += dist(await run(p!.hidden, feeds(model, trained), z, t), orig)
      }
      // Measured: the concept's ε moves ~45% of the way to the anchor's; the preserved prompt's ε
      // moves by under a third of that distance.
      // Measured (seed 11, 60 steps): the concept's ε closes 42% of its gap to the anchor's
      // (1.59 → 0.92 summed over 4 timesteps) and moves by 1.25; the preserved prompt's ε moves
      // by 1.10. A random 32-wide text encoder places "… a red circle" almost as close to the
      // concept (1.50) as the anchor is (1.59), and K/V LoRAs act on every prompt's padding
      // rows, so specificity here is weak; the assertions check direction, not a paper-level
      // trade-off (ShapeWorld, a trained model, is where that is measured).
      expect(after).toBeLessThan(0.75 * before)
      expect(preservedShift).toBeLessThan(conceptShift)
      expect(gapCP).toBeGreaterThan(0)
    } finally {
      await model.dispose()
    }
  })

  it('cancel mid-training, resume, finish: equals the uninterrupted run', async () => {
    const controller = new AbortController()
    const ctx = testContext(controller)
    const cancelAt = { ...ctx, onProgress: (p: { phase: string; step: number; total: number | null }) => {
      if (p.phase === 'train' && p.step === 25) controller.abort()
    } }
    await expect(host.s.erase.run(project, input(60), cancelAt)).rejects.toThrow()
    const cancelled = host.s.experiments.list(project).find((e) => e.status === 'cancelled')!
    expect(cancelled.lossCurve.length).toBeGreaterThanOrEqual(25)
    const resumed = await host.s.erase.resume(project, cancelled.id, testContext())
    expect(resumed.status).toBe('succeeded')
    expect(resumed.lossCurve).toEqual(trained.lossCurve)
    const a = decodeSafeTensors(readFileSync(path.join(project.dir, trained.loraPath!)))
    const b = decodeSafeTensors(readFileSync(path.join(project.dir, resumed.loraPath!)))
    for (const [k, t] of a.tensors) expect(Array.from(toFloat32Array(b.tensors.get(k)!)), k).toEqual(Array.from(toFloat32Array(t)))
  })
})
