import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Experiment, GenerationParams, Project, StartErase } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import type { ExperimentsRepo } from '../db/repositories/experiments-repo'
import { ImagesRepo } from '../db/repositories/images-repo'
import type { SharedTransform } from '../engine/erasure/closed-form'
import { editTensors, readKvWeights } from '../engine/erasure/edit-artifact'
import { runStage1 } from '../engine/erasure/stage1'
import { encodeSafeTensors } from '../engine/export/safetensors'
import { OrtMatMul } from '../engine/linalg/ort-matmul'
import { readModel } from '../engine/onnx/model-io'
import { txt2img } from '../engine/sd/pipelines/txt2img'
import type { Txt2ImgHooks } from '../engine/sd/pipelines/txt2img'
import { promptEncoder } from '../engine/sd/prompt-encoder'
import type { SdModel } from '../engine/sd/sd-model'
import { writeFileAtomic } from '../util/atomic-write'
import { gallerySize, needsKvInputs, transformHooks, weightFeeds } from './erased-model'
import type { EvaluationService, PreparedEvaluation } from './evaluation-service'
import type { ExperimentsService } from './experiments-service'
import type { JobContext } from './jobs/job-service'
import { runLoraStage } from './lora-stage'
import type { ModelCache } from './model-cache'
import type { ModelsService } from './models-service'
import type { ProjectStore } from './project-store'
import type { SettingsService } from './settings-service'

type Group = 'erasure' | 'probe' | 'preserved'

/**
 * Runs a RealEra experiment as one job with stages encode → mine → solve → gallery (then an
 * evaluation, when asked). The row exists from the start (status running) so a crash leaves a
 * visible, interrupted experiment; stage 1's outputs (artifact file, points) are committed
 * together; gallery images are added as they are made; the final status is written last.
 */
export class EraseService {
  constructor(
    private readonly experiments: ExperimentsService,
    private readonly models: ModelsService,
    private readonly cache: ModelCache,
    private readonly settings: SettingsService,
    private readonly store: ProjectStore,
    private readonly evaluation: EvaluationService,
  ) {}

  async run(project: Project, input: StartErase, ctx: JobContext): Promise<Experiment> {
    const modelRow = this.models.get(project, input.modelId)
    // Checked before any work: a concept the evaluator cannot judge fails here, with no row.
    const evaluation = input.evaluate ? this.evaluation.prepareFor({ number: 0, spec: input.spec }, input.evaluate === true ? {} : input.evaluate) : null
    const exp = this.experiments.repo(project).create({
      id: randomUUID(),
      modelId: modelRow.id,
      name: input.name ?? `Erase ${input.spec.concepts.map((c) => c.concept).join(', ')}`,
      spec: input.spec,
      params: input.params,
      gallery: input.gallery,
      jobId: ctx.jobId,
      createdAt: Date.now(),
    })
    return this.execute(project, exp, ctx, false, evaluation)
  }

  /** Continues a cancelled or interrupted full-variant experiment from its LoRA checkpoint. */
  async resume(project: Project, experimentId: string, ctx: JobContext): Promise<Experiment> {
    const { experiment } = this.experiments.get(project, experimentId)
    if (experiment.status !== 'cancelled' && experiment.status !== 'interrupted') {
      throw new StudioError('conflict', `Experiment ${experiment.number} is ${experiment.status}; only cancelled or interrupted experiments can be resumed.`)
    }
    this.experiments.repo(project).reopen(experiment.id, ctx.jobId)
    return this.execute(project, experiment, ctx, true)
  }

  /**
   * Stage 1 (deterministic: a resumed run recomputes it bit for bit), the LoRA stage for the
   * full variant, then the gallery. The row's status is written last. With `evaluation`, the
   * erased model is then evaluated in the same job; the experiment stays succeeded whatever
   * the evaluation's outcome (its metrics are stored only when it completes).
   */
  private async execute(project: Project, exp: Experiment, ctx: JobContext, resume: boolean, evaluation: PreparedEvaluation | null = null): Promise<Experiment> {
    const repo = this.experiments.repo(project)
    const mm = new OrtMatMul()
    let finished = false
    try {
      if (!exp.modelId) throw new StudioError('not-found', 'The experiment\'s model was removed from the project; register it again.')
      const modelRow = this.models.get(project, exp.modelId)
      const s = this.settings.get()
      const runtime = { provider: s.executionProvider, threads: s.threads }
      const full = needsKvInputs(exp)
      ctx.onProgress({ phase: 'load', step: 0, total: null })
      const model = await this.cache.acquire(modelRow.dir, runtime, { kvInputs: full })
      if (model.runtime.fallbackReason) ctx.log(model.runtime.fallbackReason, 'warn')
      const stage1 = await runStage1(exp.spec, exp.params, promptEncoder(model), mm, ctx)
      ctx.log(`Closed form: ${stage1.rows.source} remapped rows, ${stage1.rows.preserve} preserved rows.`)
      const artifact = await this.writeArtifact(project, exp, model, stage1.transform, mm)
      repo.saveStage1(exp.id, artifact, stage1.points, model.runtime.provider)
      const timings: Record<string, number> = { ...stage1.timings }
      repo.setTimings(exp.id, timings)
      const size = gallerySize(exp, model)
      let edit: Txt2ImgHooks = transformHooks(stage1.transform, mm)
      if (full) {
        const t = performance.now()
        const stage2 = await runLoraStage({ project, exp, model, transform: stage1.transform, prompts: stage1.alignPrompts, preserved: stage1.preservedContexts, imageSize: size, mm, repo, ctx, resume })
        timings.loraMs = performance.now() - t
        repo.setTimings(exp.id, timings)
        edit = { unetFeeds: weightFeeds(model, stage2.weights) }
      }
      if (exp.gallery.enabled) {
        const t = performance.now()
        await this.gallery(project, repo, exp, modelRow.id, model, edit, size, ctx)
        timings.galleryMs = performance.now() - t
        repo.setTimings(exp.id, timings)
      }
      ctx.signal.throwIfAborted()
      repo.finish(exp.id, 'succeeded', null, Date.now())
      finished = true
      if (evaluation) await this.evaluation.evaluateWith(project, repo.get(exp.id)!, model, edit, evaluation, ctx)
      return repo.get(exp.id)!
    } catch (err) {
      if (finished) throw err
      const cancelled = ctx.signal.aborted
      repo.finish(exp.id, cancelled ? 'cancelled' : 'failed', cancelled ? null : err instanceof Error ? err.message : String(err), Date.now())
      throw err
    } finally {
      await mm.dispose()
    }
  }

  private async writeArtifact(project: Project, exp: Experiment, model: SdModel, t: SharedTransform, mm: OrtMatMul): Promise<string> {
    const unet = await readModel(model.folder.unet)
    const weights = await readKvWeights(unet, path.dirname(model.folder.unet), model.kv.projections)
    const tensors = await editTensors(t, weights, mm)
    const rel = `experiments/${exp.number}/edit.safetensors`
    mkdirSync(path.join(project.dir, 'experiments', String(exp.number)), { recursive: true })
    const bytes = encodeSafeTensors(tensors, {
      format: 'realera-edit',
      experiment_id: exp.id,
      method: 'RealEra stage 1 (closed form)',
      spec: JSON.stringify(exp.spec),
      params: JSON.stringify(exp.params),
    })
    await writeFileAtomic(path.join(project.dir, rel), bytes)
    return rel
  }

  private async gallery(project: Project, repo: ExperimentsRepo, exp: Experiment, modelId: string, model: SdModel, edit: Txt2ImgHooks, size: number, ctx: JobContext): Promise<void> {
    const templates = exp.spec.concepts[0]?.templates ?? ['{}']
    const fill = (tpl: string, c: string): string => tpl.replace('{}', c)
    const prompts: [Group, string][] = [
      ...exp.spec.concepts.map((c): [Group, string] => ['erasure', fill(c.templates[0] ?? '{}', c.concept)]),
      ...exp.spec.probes.map((p): [Group, string] => ['probe', p]),
      ...exp.spec.preserve.map((p): [Group, string] => ['preserved', fill(templates[0] ?? '{}', p)]),
    ]
    const g = exp.gallery
    const original: Txt2ImgHooks = model.kvWeights ? { unetFeeds: model.kvWeights } : {}
    const images = new ImagesRepo(this.store.db(project.dir))
    const total = prompts.length * g.seeds.length * 2
    let step = 0
    mkdirSync(path.join(project.dir, 'images'), { recursive: true })
    for (const [group, prompt] of prompts) {
      for (const seed of g.seeds) {
        const params: GenerationParams = { prompt, negativePrompt: '', seed, steps: g.steps, guidance: g.guidance, scheduler: g.scheduler, width: size, height: size }
        for (const role of ['original', 'erased'] as const) {
          ctx.signal.throwIfAborted()
          let image = role === 'original' ? images.findOriginal(modelId, params) : undefined
          if (!image) {
            const started = performance.now()
            const result = await txt2img(model, params, role === 'erased' ? edit : original, { signal: ctx.signal })
            const id = randomUUID()
            const rel = `images/${id}.png`
            await writeFileAtomic(path.join(project.dir, rel), result.png)
            image = { id, modelId, path: rel, params, provider: model.runtime.provider, durationMs: performance.now() - started, createdAt: Date.now() }
            images.insert(image, role === 'erased' ? exp.id : null)
          }
          repo.addGallery(exp.id, { imageId: image.id, group, role, prompt, seed })
          ctx.onProgress({ phase: 'gallery', step: ++step, total })
        }
      }
    }
  }
}
