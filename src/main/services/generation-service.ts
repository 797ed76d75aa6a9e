import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { GenerationParams, ImageInfo, Project } from '../../shared/contract'
import { ImagesRepo } from '../db/repositories/images-repo'
import { txt2img } from '../engine/sd/pipelines/txt2img'
import { writeFileAtomic } from '../util/atomic-write'
import type { JobContext } from './jobs/job-service'
import { loraFeeds } from './lora-weights'
import type { ModelCache } from './model-cache'
import type { ModelsService } from './models-service'
import type { ProjectStore } from './project-store'
import type { SettingsService } from './settings-service'

/** txt2img as a job: the PNG goes into `<project>/images/`, the row records every parameter. */
export class GenerationService {
  constructor(
    private readonly store: ProjectStore,
    private readonly models: ModelsService,
    private readonly cache: ModelCache,
    private readonly settings: SettingsService,
  ) {}

  list(project: Project, modelId: string | undefined, limit: number): ImageInfo[] {
    return new ImagesRepo(this.store.db(project.dir)).list(modelId, limit)
  }

  async generate(project: Project, modelId: string, params: GenerationParams, ctx: JobContext): Promise<ImageInfo> {
    const modelRow = this.models.get(project, modelId)
    const s = this.settings.get()
    ctx.onProgress({ phase: 'load', step: 0, total: null })
    const model = await this.cache.acquire(modelRow.dir, { provider: s.executionProvider, threads: s.threads }, { kvInputs: params.lora !== undefined })
    if (model.runtime.fallbackReason) ctx.log(model.runtime.fallbackReason, 'warn')
    let hooks = {}
    if (params.lora) {
      const lora = loraFeeds(model, params.lora.path, params.lora.scale)
      ctx.log(`Applied ${lora.format} LoRA ${params.lora.path} at scale ${params.lora.scale}.`)
      if (lora.unmatched.length > 0) ctx.log(`${lora.unmatched.length} LoRA keys match no K/V layer and were not applied: ${lora.unmatched.slice(0, 8).join(', ')}${lora.unmatched.length > 8 ? ', …' : ''}`, 'warn')
      hooks = { unetFeeds: lora.feeds }
    }
    const started = performance.now()
    const result = await txt2img(model, params, hooks, { signal: ctx.signal, onProgress: ctx.onProgress })
    for (const w of result.warnings) ctx.log(w, 'warn')
    const id = randomUUID()
    const rel = `images/${id}.png`
    mkdirSync(path.join(project.dir, 'images'), { recursive: true })
    ctx.signal.throwIfAborted()
    await writeFileAtomic(path.join(project.dir, rel), result.png)
    const image: ImageInfo = {
      id,
      modelId,
      path: rel,
      params,
      provider: model.runtime.provider,
      durationMs: performance.now() - started,
      createdAt: Date.now(),
    }
    new ImagesRepo(this.store.db(project.dir)).insert(image)
    return image
  }
}
