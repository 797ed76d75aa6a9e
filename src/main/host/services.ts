import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { JobEvent } from '../../shared/contract'
import type { Db } from '../db/connection'
import { openDatabase } from '../db/connection'
import { catalogMigrations } from '../db/migrations/catalog'
import { JobsRepo } from '../db/repositories/jobs-repo'
import { ProjectsRepo } from '../db/repositories/projects-repo'
import { SettingsRepo } from '../db/repositories/settings-repo'
import { EraseService } from '../services/erase-service'
import { EvaluationService } from '../services/evaluation-service'
import { ExperimentsService } from '../services/experiments-service'
import { ExportService } from '../services/export-service'
import { GenerationService } from '../services/generation-service'
import { JobService } from '../services/jobs/job-service'
import { MapService } from '../services/map-service'
import { ModelCache } from '../services/model-cache'
import { ModelsService } from '../services/models-service'
import { ProjectStore } from '../services/project-store'
import { ProjectsService } from '../services/projects-service'
import { SettingsService } from '../services/settings-service'
import type { HostConfig } from './host-config'

export const CATALOG_FILE = 'catalog.sqlite'

/** Everything the host serves, built once per process. The CLI builds the same thing. */
export interface Services {
  readonly config: HostConfig
  readonly catalog: Db
  readonly store: ProjectStore
  readonly settings: SettingsService
  readonly projects: ProjectsService
  readonly jobs: JobService
  readonly cache: ModelCache
  readonly models: ModelsService
  readonly generation: GenerationService
  readonly experiments: ExperimentsService
  readonly erase: EraseService
  readonly evaluation: EvaluationService
  readonly exports: ExportService
  readonly map: MapService
  close(): Promise<void>
}

export function createServices(config: HostConfig, emit: (event: JobEvent) => void): Services {
  mkdirSync(config.dataDir, { recursive: true })
  const catalog = openDatabase(path.join(config.dataDir, CATALOG_FILE), catalogMigrations)
  const store = new ProjectStore()
  const settings = new SettingsService(new SettingsRepo(catalog), {
    theme: 'system',
    executionProvider: 'auto',
    defaultProjectDir: config.defaultProjectsDir,
    threads: 0,
  })
  const projects = new ProjectsService(new ProjectsRepo(catalog), store, () => settings.get().defaultProjectDir)
  const jobs = new JobService(new JobsRepo(catalog), emit)
  jobs.recover()
  const cache = new ModelCache(path.join(config.dataDir, 'cache'))
  const models = new ModelsService(store, cache, settings)
  const generation = new GenerationService(store, models, cache, settings)
  const experiments = new ExperimentsService(store)
  const evaluation = new EvaluationService(experiments, models, cache, settings)
  const erase = new EraseService(experiments, models, cache, settings, store, evaluation)
  const exports = new ExportService(store, experiments, models)
  const map = new MapService(experiments, settings)
  return {
    config,
    catalog,
    store,
    settings,
    projects,
    jobs,
    cache,
    models,
    generation,
    experiments,
    erase,
    evaluation,
    exports,
    map,
    async close() {
      await cache.release()
      store.closeAll()
      catalog.close()
    },
  }
}
