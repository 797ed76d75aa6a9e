import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Experiment, Project } from '../../shared/contract'
import type { ExperimentsRepo } from '../db/repositories/experiments-repo'
import type { SharedTransform } from '../engine/erasure/closed-form'
import { applyToWeight } from '../engine/erasure/closed-form'
import type { AlignPrompt } from '../engine/erasure/lora/align'
import { alignLora, initialCheckpoint } from '../engine/erasure/lora/align'
import { decodeCheckpoint, encodeCheckpoint, encodeLora } from '../engine/erasure/lora/lora-files'
import type { LoraSet } from '../engine/erasure/lora/lora-params'
import { effectiveWeight, initLora, loraScale } from '../engine/erasure/lora/lora-params'
import { createUnetAlignment } from '../engine/erasure/lora/unet-alignment'
import type { OrtMatMul } from '../engine/linalg/ort-matmul'
import { denoiseLatents } from '../engine/sd/pipelines/txt2img'
import { createScheduler, parseSchedulerConfig } from '../engine/sd/schedulers'
import type { SdModel } from '../engine/sd/sd-model'
import { writeFileAtomic } from '../util/atomic-write'
import type { JobContext } from './jobs/job-service'

export interface LoraStageResult {
  readonly lora: LoraSet
  /** Closed form + LoRA, ONNX layout, keyed by K/V initializer: the experiment's final weights. */
  readonly weights: Map<string, Float32Array>
  readonly loraPath: string
}

/**
 * Stage 2 of an experiment: training latents from the original model on the anchor prompt,
 * the gradient graph, then `alignLora` with checkpoints in the experiment's folder and the loss
 * curve written to its row as training goes. With `resume`, training continues from the
 * checkpoint a cancelled or interrupted run left.
 */
export async function runLoraStage(a: {
  project: Project
  exp: Experiment
  model: SdModel
  transform: SharedTransform
  prompts: readonly AlignPrompt[]
  preserved: readonly Float32Array[]
  imageSize: number
  mm: OrtMatMul
  repo: ExperimentsRepo
  ctx: JobContext
  resume: boolean
}): Promise<LoraStageResult> {
  const { exp, model, ctx } = a
  const p = exp.params
  if (!model.kvWeights) throw new Error('the LoRA stage needs the model loaded with K/V weights as inputs')
  const original = new Map(Object.entries(model.kvWeights).map(([k, t]) => [k, t.data as Float32Array]))
  const base = new Map<string, Float32Array>()
  for (const proj of model.kv.projections) base.set(proj.initializer, await applyToWeight(original.get(proj.initializer)!, proj.width, a.transform, a.mm))

  const size = p.loraImageSize > 0 ? p.loraImageSize : a.imageSize
  const first = exp.spec.concepts[0]!
  const anchorPrompt = (first.templates[0] ?? '{}').replace('{}', first.anchor)
  const latents: Float32Array[] = []
  let dims: readonly [number, number, number, number] = [1, model.facts.latentChannels, size / 8, size / 8]
  for (let i = 0; i < p.loraImages; i++) {
    ctx.signal.throwIfAborted()
    ctx.onProgress({ phase: 'latents', step: i, total: p.loraImages })
    const g = exp.gallery
    const r = await denoiseLatents(model, { prompt: anchorPrompt, seed: p.seed + i, steps: g.steps, guidance: g.guidance, scheduler: g.scheduler, width: size, height: size }, { unetFeeds: model.kvWeights }, { signal: ctx.signal })
    latents.push(r.latents)
    dims = r.dims
  }
  ctx.onProgress({ phase: 'latents', step: p.loraImages, total: p.loraImages })

  const alignment = await createUnetAlignment(model, dims)
  ctx.log(`Gradient graph: ${alignment.gradient.stats.neededNodes} of ${alignment.gradient.stats.forwardNodes} forward nodes differentiated, ${alignment.gradient.stats.backwardNodes} backward nodes.`)
  const folder = path.join(a.project.dir, 'experiments', String(exp.number))
  const checkpointFile = path.join(folder, 'lora-checkpoint.safetensors')
  const lora = initLora(model.kv.projections, p.loraRank, p.loraAlpha, p.seed)
  const start = a.resume && existsSync(checkpointFile) ? decodeCheckpoint(readFileSync(checkpointFile), lora) : initialCheckpoint(lora)
  if (start.step > 0) ctx.log(`Resuming LoRA training at step ${start.step + 1} of ${p.epochs}.`)
  const losses = [...start.losses]
  const config = parseSchedulerConfig(model.schedulerConfig, 'ddim')
  try {
    const done = await alignLora(
      { model: alignment, scheduler: createScheduler('ddim', model.schedulerConfig), numTrainTimesteps: config.numTrainTimesteps, latents, prompts: a.prompts, preserved: a.preserved, baseWeights: base, originalWeights: original, params: p, start },
      {
        signal: ctx.signal,
        checkpointEvery: 10,
        onStep: (step, total, loss) => {
          losses[step - 1] = loss
          a.repo.setLoss(exp.id, losses, null)
          ctx.onProgress({ phase: 'train', step, total })
        },
        onCheckpoint: (cp) => writeFileAtomic(checkpointFile, encodeCheckpoint(cp)),
        onEval: (evals) => a.repo.setEvals(exp.id, evals),
      },
    )
    const loraPath = `experiments/${exp.number}/lora.safetensors`
    await writeFileAtomic(path.join(a.project.dir, loraPath), encodeLora(done.lora, { experiment_id: exp.id }))
    a.repo.setLoss(exp.id, done.losses, loraPath)
    const weights = new Map<string, Float32Array>()
    for (const l of done.lora.layers) weights.set(l.initializer, effectiveWeight(l, base.get(l.initializer)!, done.lora.rank, loraScale(done.lora)))
    return { lora: done.lora, weights, loraPath }
  } finally {
    await alignment.dispose()
  }
}
