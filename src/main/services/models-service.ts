import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Model, Project } from '../../shared/contract'
import { modelFactsSchema } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import { ModelsRepo } from '../db/repositories/models-repo'
import type { ModelRow } from '../db/repositories/models-repo'
import type { ModelFacts } from '../engine/sd/sd-model'
import { fromStoredPath, toStoredPath } from '../util/project-paths'
import type { JobContext } from './jobs/job-service'
import type { ModelCache } from './model-cache'
import type { ProjectStore } from './project-store'
import type { SettingsService } from './settings-service'

const toModel = (project: Project, row: ModelRow): Model => {
  const dir = fromStoredPath(project.dir, row.dir)
  return { id: row.id, projectId: project.id, name: row.name, dir, facts: row.facts, createdAt: row.createdAt, missing: !existsSync(dir) }
}

/** Models registered in a project: validated by loading them, facts stored with the row. */
export class ModelsService {
  constructor(
    private readonly store: ProjectStore,
    private readonly cache: ModelCache,
    private readonly settings: SettingsService,
  ) {}

  private repo(project: Project): ModelsRepo {
    return new ModelsRepo(this.store.db(project.dir))
  }

  list(project: Project): Model[] {
    return this.repo(project).list().map((r) => toModel(project, r))
  }

  get(project: Project, modelId: string): Model {
    const row = this.repo(project).get(modelId)
    if (!row) throw new StudioError('not-found', `No model ${modelId} in project "${project.name}". Register it first.`)
    return toModel(project, row)
  }

  remove(project: Project, modelId: string): { modelId: string } {
    this.get(project, modelId)
    this.repo(project).remove(modelId)
    return { modelId }
  }

  /** The register-model job: validate the folder by loading it, then store its facts. */
  async register(project: Project, input: { dir: string; name?: string }, ctx: JobContext): Promise<Model> {
    const dir = path.resolve(input.dir)
    const stored = toStoredPath(project.dir, dir)
    const clash = this.repo(project).findByDir(stored)
    if (clash) throw new StudioError('conflict', `This model folder is already registered in the project as "${clash.name}".`)
    ctx.onProgress({ phase: 'load', step: 0, total: 1 })
    ctx.signal.throwIfAborted()
    const s = this.settings.get()
    const model = await this.cache.acquire(dir, { provider: s.executionProvider, threads: s.threads })
    if (model.runtime.fallbackReason) ctx.log(model.runtime.fallbackReason, 'warn')
    ctx.signal.throwIfAborted()
    const facts = modelFactsSchema.parse(factsOf(model.facts))
    const row: ModelRow = { id: randomUUID(), name: input.name ?? path.basename(dir), dir: stored, facts, createdAt: Date.now() }
    this.repo(project).insert(row)
    ctx.onProgress({ phase: 'load', step: 1, total: 1 })
    return toModel(project, row)
  }
}

const factsOf = (f: ModelFacts): unknown => ({ ...f, sizes: { ...f.sizes } })
