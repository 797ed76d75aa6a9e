import type { Project } from '../../shared/contract'
import { toErrorInfo } from '../../shared/errors'
import type { Db } from '../db/connection'
import { SettingsRepo } from '../db/repositories/settings-repo'
import type { BundledModel } from './bundled-models'
import { bundledShapeWorld } from './bundled-models'
import type { JobService } from './jobs/job-service'
import type { JobDeps } from './jobs/job-kinds'
import { jobRequestFor } from './jobs/job-kinds'

export const DEMO_PROJECT_NAME = 'ShapeWorld demo'

/**
 * Catalog settings key, set once the demo has been offered (made, or skipped because the user
 * already has projects), so deleting the demo does not bring it back. Not a user setting: the
 * settings service ignores keys its schema does not know.
 */
export const DEMO_FLAG_KEY = 'demo.created'

export interface DemoOptions {
  /** False: never make the demo (REALERA_NO_DEMO=1; the test harnesses default to it). */
  readonly enabled: boolean
  readonly model: BundledModel
  readonly log: (line: string) => void
}

export type DemoOutcome =
  | { readonly status: 'disabled' | 'done-before' | 'has-projects' }
  | { readonly status: 'no-model'; readonly dir: string }
  | { readonly status: 'created'; readonly project: Project; readonly registerJobId: string }
  | { readonly status: 'failed'; readonly message: string }

export function demoOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DemoOptions {
  return {
    enabled: env.REALERA_NO_DEMO !== '1',
    model: bundledShapeWorld(env),
    log: (line) => console.log(`[realera] ${line}`),
  }
}

/**
 * First start: with no project in the catalog, makes "ShapeWorld demo" in the default projects
 * folder and registers the bundled model in it through the ordinary register-model job (it
 * runs in the background, in the jobs list like any other). Never throws: a problem is logged
 * and the host starts anyway. Skipped, with a log line, while the bundled model is missing.
 */
export async function ensureDemoProject(deps: JobDeps & { readonly jobs: JobService; readonly catalog: Db }, options: DemoOptions): Promise<DemoOutcome> {
  if (!options.enabled) return { status: 'disabled' }
  const flags = new SettingsRepo(deps.catalog)
  if (flags.all()[DEMO_FLAG_KEY] === true) return { status: 'done-before' }
  if (deps.projects.list().length > 0) {
    flags.setMany({ [DEMO_FLAG_KEY]: true })
    return { status: 'has-projects' }
  }
  if (!options.model.installed) {
    options.log(`No demo project: the bundled ShapeWorld model is not installed (${options.model.dir}).`)
    return { status: 'no-model', dir: options.model.dir }
  }
  try {
    const project = await deps.projects.create({ name: DEMO_PROJECT_NAME })
    flags.setMany({ [DEMO_FLAG_KEY]: true })
    const job = deps.jobs.start(jobRequestFor({ kind: 'register-model', projectId: project.id, dir: options.model.dir, name: options.model.name }, deps))
    options.log(`Made the demo project "${project.name}" in ${project.dir}; registering ${options.model.name} from ${options.model.dir}.`)
    return { status: 'created', project, registerJobId: job.id }
  } catch (err) {
    const { message } = toErrorInfo(err)
    options.log(`No demo project: ${message}`)
    return { status: 'failed', message }
  }
}
