import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Model, Project } from '../../shared/contract'
import type { Services } from '../host/services'
import { resolveModelRef } from '../services/bundled-models'
import { PROJECT_DB_FILE } from '../services/project-store'
import type { JobContext } from '../services/jobs/job-service'

/**
 * `--project DIR`: the project at DIR if the catalog knows it, a new project there otherwise;
 * without the flag, the "CLI experiments" project in the default location.
 */
export async function cliProject(s: Services, dir: string | undefined): Promise<Project> {
  if (dir === undefined) {
    const name = 'CLI experiments'
    const found = s.projects.list().find((p) => p.name === name)
    return s.projects.open(found ? found.id : (await s.projects.create({ name })).id)
  }
  const abs = path.resolve(dir)
  const known = s.projects.list().find((p) => path.resolve(p.dir) === abs)
  if (known) return s.projects.open(known.id)
  if (existsSync(path.join(abs, PROJECT_DB_FILE))) {
    throw new Error(`${abs} holds a project this machine's catalog does not list; open it in the studio once, or use another folder.`)
  }
  const created = await s.projects.create({ name: path.basename(abs), parentDir: path.dirname(abs) })
  return s.projects.open(created.id)
}

/** The registered model for DIR (or `shapeworld`, the bundled model), registering it first when needed. */
export async function cliModel(s: Services, project: Project, dir: string, ctx: JobContext): Promise<Model> {
  const abs = path.resolve(resolveModelRef(dir))
  const known = s.models.list(project).find((m) => path.resolve(m.dir) === abs)
  return known ?? (await s.models.register(project, { dir: abs }, ctx))
}

/** A JobContext for running a service directly: Ctrl-C cancels at the next step. */
export function cliContext(onProgress: JobContext['onProgress'], log: (m: string) => void): JobContext & { dispose: () => void } {
  const controller = new AbortController()
  const onSigint = (): void => controller.abort()
  process.once('SIGINT', onSigint)
  return {
    jobId: `cli-${process.pid}`,
    signal: controller.signal,
    onProgress,
    log: (m) => log(m),
    dispose: () => process.removeListener('SIGINT', onSigint),
  }
}
