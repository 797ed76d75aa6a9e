import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Experiment, GenerationParams, Project, StartErase } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import type { ExperimentsRepo } from '../db/repositories/experiments-repo'
import { ImagesRepo } from '../db/repositories/images-repo'
import type { SharedTransform } from '../engine/erasure/closed-form'
import { applyTransform } from '../engine/erasure/closed-form'
import { editTensors, readKvWeights } from '../engine/erasure/edit-artifact'
import { runStage1 } from '../engine/erasure/stage1'
import { encodeSafeTensors } from '../engine/export/safetensors'
import { OrtMatMul } from '../engine/linalg/ort-matmul'
import { readModel } from '../engine/onnx/model-io'
import { txt2img } from '../engine/sd/pipelines/txt2img'
import { promptEncoder } from '../engine/sd/prompt-encoder'
import type { SdModel } from '../engine/sd/sd-model'
import { writeFileAtomic } from '../util/atomic-write'
import type { ExperimentsService } from './experiments-service'
import type { JobContext } from './jobs/job-service'
import type { ModelCache } from './model-cache'
import type { ModelsService } from './models-service'
import type { ProjectStore } from './project-store'
import type { SettingsService } from './settings-service'

type Group = 'erasure' | 'probe' | 'preserved'

/**
 * Runs a RealEra experiment as one job with stages encode → mine → solve → gallery. The row
 * exists from the start (status running) so a crash leaves a visible, interrupted experiment;
 * stage 1's outputs (artifact file, points) are committed together; gallery images are added as
 * they are made; the final status is written last.
 */
export class EraseService {
  constructor(
    private readonly experiments: ExperimentsService,
    private readonly models: ModelsService,
    private readonly cache: ModelCache,
    private readonly settings: SettingsService,
    private readonly store: ProjectStore,
  ) {}

  async run(project: Project, input: StartErase, ctx: JobContext): Promise<Experiment> {
    if (input.params.variant === 'full') {
      throw new StudioError('invalid-input', 'The full variant needs the LoRA alignment stage, which this version does not have yet; choose mining-beyond (stage 1).')
    }
    const modelRow = this.models.get(project, input.modelId)
    const repo = this.experiments.repo(project)
    const exp = repo.create({
      id: randomUUID(),
      modelId: modelRow.id,
      name: input.name ?? `Erase ${input.spec.concepts.map((c) => c.concept).join(', ')}`,
      spec: input.spec,
      params: input.params,
      gallery: input.gallery,
      jobId: ctx.jobId,
      createdAt: Date.now(),
    })
    const mm = new OrtMatMul()
    try {
      const s = this.settings.get()
      ctx.onProgress({ phase: 'load', step: 0, total: null })
      const model = await this.cache.acquire(modelRow.dir, { provider: s.executionProvider, threads: s.threads })
      if (model.runtime.fallbackReason) ctx.log(model.runtime.fallbackReason, 'warn')
      const stage1 = await runStage1(input.spec, input.params, promptEncoder(model), mm, ctx)
      ctx.log(`Closed form: ${stage1.rows.source} remapped rows, ${stage1.rows.preserve} preserved rows.`)
      const artifact = await this.writeArtifact(project, exp, model, stage1.transform, mm)
      repo.saveStage1(exp.id, artifact, stage1.points, model.runtime.provider)
      const timings: Record<string, number> = { ...stage1.timings }
      repo.setTimings(exp.id, timings)
      if (input.gallery.enabled) {
        const t = performance.now()
        await this.gallery(project, repo, exp, modelRow.id, model, stage1.transform, mm, ctx)
        timings.galleryMs = performance.now() - t
        repo.setTimings(exp.id, timings)
      }
      ctx.signal.throwIfAborted()
      repo.finish(exp.id, 'succeeded', null, Date.now())
      return repo.get(exp.id)!
    } catch (err) {
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

  private async gallery(project: Project, repo: ExperimentsRepo, exp: Experiment, modelId: string, model: SdModel, t: SharedTransform, mm: OrtMatMul, ctx: JobContext): Promise<void> {
    const templates = exp.spec.concepts[0]?.templates ?? ['{}']
    const fill = (tpl: string, c: string): string => tpl.replace('{}', c)
    const prompts: [Group, string][] = [
      ...exp.spec.concepts.map((c): [Group, string] => ['erasure', fill(c.templates[0] ?? '{}', c.concept)]),
      ...exp.spec.probes.map((p): [Group, string] => ['probe', p]),
      ...exp.spec.preserve.map((p): [Group, string] => ['preserved', fill(templates[0] ?? '{}', p)]),
    ]
    const g = exp.gallery
    const size = g.size ?? (model.facts.sdVersion === '1.x' ? 512 : model.facts.sdVersion === '2.x' ? (model.facts.predictionType === 'v_prediction' ? 768 : 512) : 64)
    const images = new ImagesRepo(this.store.db(project.dir))
    const total = prompts.length * g.seeds.length * 2
    let step = 0
    const transformContext = (hidden: Float32Array): Promise<Float32Array> => applyTransform(hidden, t, mm)
    mkdirSync(path.join(project.dir, 'images'), { recursive: true })
    for (const [group, prompt] of prompts) {
      for (const seed of g.seeds) {
        const params: GenerationParams = { prompt, negativePrompt: '', seed, steps: g.steps, guidance: g.guidance, scheduler: g.scheduler, width: size, height: size }
        for (const role of ['original', 'erased'] as const) {
          ctx.signal.throwIfAborted()
          let image = role === 'original' ? images.findOriginal(modelId, params) : undefined
          if (!image) {
            const started = performance.now()
            const result = await txt2img(model, params, role === 'erased' ? { transformContext } : {}, { signal: ctx.signal })
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
