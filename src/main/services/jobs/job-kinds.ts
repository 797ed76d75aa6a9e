import type { StartJob } from '../../../shared/contract'
import { evaluateJobTitle, umapJobTitle } from '../../../shared/contract'
import type { EraseService } from '../erase-service'
import type { EvaluationService } from '../evaluation-service'
import type { ExportService } from '../export-service'
import type { ExperimentsService } from '../experiments-service'
import type { GenerationService } from '../generation-service'
import type { MapService } from '../map-service'
import type { ModelsService } from '../models-service'
import type { ProjectStore } from '../project-store'
import type { ProjectsService } from '../projects-service'
import { verifyProject } from '../verify-project'
import type { JobRequest } from './job-service'

export interface JobDeps {
  readonly projects: ProjectsService
  readonly store: ProjectStore
  readonly models: ModelsService
  readonly generation: GenerationService
  readonly erase: EraseService
  readonly exports: ExportService
  readonly experiments: ExperimentsService
  readonly map: MapService
  readonly evaluation: EvaluationService
  readonly config: { readonly demoStepDelayMs: number }
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
          verifyProject({ dir: project.dir, db: deps.store.db(project.dir), stepDelayMs: deps.config.demoStepDelayMs }, ctx),
      }
    }
    case 'register-model': {
      const project = deps.projects.open(input.projectId)
      return {
        kind: input.kind,
        projectId: project.id,
        title: `Register model ${input.name ?? input.dir}`,
        params: input,
        run: (ctx) => deps.models.register(project, input.name === undefined ? { dir: input.dir } : { dir: input.dir, name: input.name }, ctx),
      }
    }
    case 'generate': {
      const project = deps.projects.open(input.projectId)
      const model = deps.models.get(project, input.modelId)
      return {
        kind: input.kind,
        projectId: project.id,
        title: `Generate "${input.params.prompt.slice(0, 40)}" (${model.name})`,
        params: input,
        run: (ctx) => deps.generation.generate(project, model.id, input.params, ctx),
      }
    }
    case 'erase': {
      const project = deps.projects.open(input.projectId)
      const model = deps.models.get(project, input.modelId)
      const concepts = input.spec.concepts.map((c) => c.concept).join(', ')
      // With `evaluate`, a concept the evaluator cannot judge is refused before the job queues.
      if (input.evaluate) deps.evaluation.prepareFor({ number: 0, spec: input.spec }, input.evaluate === true ? {} : input.evaluate)
      return {
        kind: input.kind,
        projectId: project.id,
        title: `Erase ${concepts} (${input.params.variant}, ${model.name})`,
        params: input,
        run: (ctx) => deps.erase.run(project, input, ctx),
      }
    }
    case 'resume-erase': {
      const project = deps.projects.open(input.projectId)
      return {
        kind: input.kind,
        projectId: project.id,
        title: `Resume experiment (${project.name})`,
        params: input,
        run: (ctx) => deps.erase.resume(project, input.experimentId, ctx),
      }
    }
    case 'export': {
      const project = deps.projects.open(input.projectId)
      return {
        kind: input.kind,
        projectId: project.id,
        title: `Export ${input.options.format} → ${input.out}`,
        params: input,
        run: (ctx) => deps.exports.run(project, input, ctx),
      }
    }
    case 'umap': {
      const project = deps.projects.open(input.projectId)
      const { experiment } = deps.experiments.get(project, input.experimentId)
      return {
        kind: input.kind,
        projectId: project.id,
        title: umapJobTitle(experiment.number),
        params: input,
        run: (ctx) => deps.map.computeUmap(project, experiment.id, ctx),
      }
    }
    case 'evaluate': {
      const project = deps.projects.open(input.projectId)
      // Checked now, so a concept the evaluator cannot judge is refused before the job queues.
      const { experiment, evaluation } = deps.evaluation.prepare(project, input)
      return {
        kind: input.kind,
        projectId: project.id,
        title: evaluateJobTitle(experiment.number),
        params: input,
        run: (ctx) => deps.evaluation.run(project, experiment.id, evaluation, ctx),
      }
    }
  }
}
