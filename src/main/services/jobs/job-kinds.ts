import type { StartJob } from '../../../shared/contract'
import type { ProjectStore } from '../project-store'
import type { ProjectsService } from '../projects-service'
import { verifyProject } from '../verify-project'
import type { JobRequest } from './job-service'

export interface JobDeps {
  readonly projects: ProjectsService
  readonly store: ProjectStore
  readonly demoStepDelayMs: number
}

/**
 * Turns a validated start request into a runnable job. The switch is exhaustive: a new job
 * kind in the contract without a case here is a type error.
 */
export function jobRequestFor(input: StartJob, deps: JobDeps): JobRequest {
  switch (input.kind) {
    case 'verify-project': {
      const project = deps.projects.open(input.projectId)
      return {
        kind: input.kind,
        projectId: project.id,
        title: `Verify "${project.name}"`,
        params: input,
        run: (ctx) =>
          verifyProject({ dir: project.dir, db: deps.store.db(project.dir), stepDelayMs: deps.demoStepDelayMs }, ctx),
      }
    }
  }
}
