import { parseArgs } from 'node:util'
import path from 'node:path'
import type { Project } from '../../shared/contract'
import { describeIssues, startEvaluateSchema } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import type { Services } from '../host/services'
import { numberFlag, progressPrinter } from './args'
import type { CliIo } from './cli-context'
import { openServices } from './cli-context'
import { cliContext } from './cli-project'
import { findExperiment } from './export-command'
import { metricsTable } from './metrics-table'

export const evaluateUsage = `realera evaluate PROJECT EXPERIMENT [--seeds 1,2,3,4] [--color NAME] [--shape NAME]
                 [--steps N] [--guidance F] [--counts ERASURE,PRESERVED,GENERALIZATION] [--json]
    PROJECT: a project's name, id or folder; EXPERIMENT: its number or id. The concept judged is
    read from the experiment's concept ("red" → colour red) unless --color / --shape name it.`

/** A known project by id, name or folder (evaluation never creates one). */
export function findProject(s: Services, ref: string): Project {
  const all = s.projects.list()
  const abs = path.resolve(ref)
  const hit = all.find((p) => p.id === ref) ?? all.find((p) => p.name === ref) ?? all.find((p) => path.resolve(p.dir) === abs)
  if (!hit) throw new StudioError('not-found', `No project "${ref}" (known: ${all.map((p) => `"${p.name}"`).join(', ') || 'none'}); give its name, id or folder.`)
  return s.projects.open(hit.id)
}

/** "1,2 3" → [1, 2, 3] for a list flag, with a message naming the flag. */
export function listFlag(name: string, value: string): number[] {
  const parts = value.split(/[\s,]+/).filter((p) => p !== '')
  if (parts.length === 0) throw new StudioError('invalid-input', `--${name} needs at least one number.`)
  return parts.map((p) => numberFlag(name, p, 0, { integer: true }))
}

/** `--counts 10,50,13` → caps per group (erasure, preserved, generalization). */
function countsFlag(value: string): Record<string, number> {
  const n = listFlag('counts', value)
  if (n.length !== 3) throw new StudioError('invalid-input', '--counts takes three numbers: erasure, preserved, generalization (e.g. --counts 10,50,13).')
  return { erasure: n[0]!, preserved: n[1]!, generalization: n[2]! }
}

/** The evaluation flags shared with `realera erase --evaluate` (prefix "eval-" there). */
export function evaluationFlags(values: { seeds?: string; color?: string; shape?: string; steps?: string; guidance?: string; counts?: string }): Record<string, unknown> {
  const settings: Record<string, unknown> = {}
  if (values.seeds !== undefined) settings.seeds = listFlag('seeds', values.seeds)
  if (values.color !== undefined || values.shape !== undefined) {
    settings.concept = { ...(values.color !== undefined ? { color: values.color } : {}), ...(values.shape !== undefined ? { shape: values.shape } : {}) }
  }
  if (values.steps !== undefined) settings.steps = numberFlag('steps', values.steps, 0, { integer: true })
  if (values.guidance !== undefined) settings.guidance = numberFlag('guidance', values.guidance, 0)
  if (values.counts !== undefined) settings.counts = countsFlag(values.counts)
  return settings
}

/** `realera evaluate`: judges an experiment's erased model and stores the metrics. */
export async function evaluateCommand(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      seeds: { type: 'string' },
      color: { type: 'string' },
      shape: { type: 'string' },
      steps: { type: 'string' },
      guidance: { type: 'string' },
      counts: { type: 'string' },
      json: { type: 'boolean' },
    },
  })
  const [projectRef, experimentRef, ...extra] = positionals
  if (projectRef === undefined || experimentRef === undefined || extra.length > 0) {
    throw new StudioError('invalid-input', `Name the project and the experiment. Usage:\n${evaluateUsage}`)
  }
  const services = openServices()
  try {
    const project = findProject(services, projectRef)
    const experimentId = findExperiment(services, project, experimentRef)
    const parsed = startEvaluateSchema.safeParse({ kind: 'evaluate', projectId: project.id, experimentId, ...evaluationFlags(values) })
    if (!parsed.success) throw new StudioError('invalid-input', describeIssues(parsed.error))
    const { experiment, evaluation } = services.evaluation.prepare(project, parsed.data)
    const ctx = cliContext(progressPrinter(!io.json && process.stderr.isTTY), (m) => io.err(m))
    try {
      const outcome = await services.evaluation.run(project, experiment.id, evaluation, ctx)
      io.result(outcome, () => metricsTable(experiment, outcome.metrics))
    } finally {
      ctx.dispose()
    }
  } finally {
    await services.close()
  }
}
