import type {
  EvaluationColor,
  EvaluationConcept,
  EvaluationShape,
  Experiment,
  ExperimentMetrics,
  JobSnapshot,
  StartEvaluate,
} from '../../../../shared/contract'
import {
  DEFAULT_EVALUATION_SEEDS,
  evaluateJobTitle,
  evaluationColors,
  evaluationShapes,
  isTerminal,
} from '../../../../shared/contract'
import { schedulerLabel } from '../generate/model'
import { parseSeeds } from './gallery-form-model'
import type { StageClock } from './stages-model'
import { stageEta } from './stages-model'

/**
 * The experiment's evaluation card, as pure view logic: the four metrics with which way is
 * better, what they were measured on, the Evaluate settings, and the evaluate job's progress.
 */

export type MetricId = 'accE' | 'accS' | 'accG' | 'ho'

export interface MetricView {
  readonly id: MetricId
  /** "Acc_e" */
  readonly label: string
  /** "12.5 %" */
  readonly value: string
  readonly better: 'lower' | 'higher'
  /** One line: what it measures and which way is better. */
  readonly help: string
}

/** A share in [0, 1] as a percentage with one decimal: "12.5 %". */
export const percentText = (v: number): string => `${(v * 100).toFixed(1)} %`

const metricText: Record<MetricId, Omit<MetricView, 'id' | 'value'>> = {
  accE: {
    label: 'Acc_e',
    better: 'lower',
    help: 'Erasure prompts whose image still shows the concept. Lower is better.',
  },
  accS: {
    label: 'Acc_s',
    better: 'higher',
    help: 'Other concepts’ prompts drawn as asked (nothing else was lost). Higher is better.',
  },
  accG: {
    label: 'Acc_g',
    better: 'lower',
    help: 'Synonyms and associated phrases (“a ruby”) still showing it. Lower is better.',
  },
  ho: {
    label: 'H_o',
    better: 'higher',
    help: 'Overall: harmonic mean of 1 − Acc_e, Acc_s and 1 − Acc_g. Higher is better.',
  },
}

export const metricIds: readonly MetricId[] = ['accE', 'accS', 'accG', 'ho']

export function metricViews(m: ExperimentMetrics): MetricView[] {
  return metricIds.map((id) => ({ id, value: percentText(m[id]), ...metricText[id] }))
}

/** "red", "circle", "red circle"; null when the metrics do not record it. */
export function conceptLabel(c: EvaluationConcept | undefined): string | null {
  if (!c) return null
  const words = [c.color, c.shape].filter((w) => w !== undefined)
  return words.length > 0 ? words.join(' ') : null
}

const plural = (n: number, one: string, many: string): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** "10 erasure · 50 preserved · 13 generalization (73 images)" */
export function countsText(counts: ExperimentMetrics['counts']): string {
  const total = counts.erasure + counts.preserved + counts.generalization
  return `${counts.erasure} erasure · ${counts.preserved} preserved · ${counts.generalization} generalization (${plural(total, 'image', 'images')})`
}

/** "1, 2, 3, 4" */
export const seedsText = (seeds: readonly number[]): string => seeds.join(', ')

/** "25 steps · guidance 7.5 · DDIM · 64 × 64 px"; null when not recorded. */
export function generationText(g: ExperimentMetrics['generation']): string | null {
  if (!g) return null
  return `${plural(g.steps, 'step', 'steps')} · guidance ${g.guidance} · ${schedulerLabel(g.scheduler)} · ${g.size} × ${g.size} px`
}

/** The newest evaluate job of this experiment (jobs carry their experiment in the title). */
export function evaluateJobOf(
  jobs: readonly JobSnapshot[],
  projectId: string,
  experimentNumber: number,
): JobSnapshot | null {
  const title = evaluateJobTitle(experimentNumber)
  let best: JobSnapshot | null = null
  for (const j of jobs) {
    if (j.kind !== 'evaluate' || j.projectId !== projectId || j.title !== title) continue
    if (!best || j.createdAt > best.createdAt) best = j
  }
  return best
}

export interface EvaluationProgressView {
  readonly label: string
  /** 0–100, or null while the total is unknown (loading the model). */
  readonly percent: number | null
  /** "12 / 73 images" */
  readonly steps: string | null
  readonly eta: string | null
}

/** A live evaluate job's progress line; ETA measured from the start of the current phase. */
export function evaluationProgress(
  job: JobSnapshot,
  clock: StageClock | null,
): EvaluationProgressView {
  const p = job.progress
  if (job.state === 'queued') {
    return { label: 'Waiting for the running job to finish', percent: null, steps: null, eta: null }
  }
  if (!p || p.phase !== 'evaluate' || p.total === null) {
    return { label: 'Loading the model', percent: null, steps: null, eta: null }
  }
  return {
    label: 'Drawing and judging images',
    percent: Math.min(100, Math.max(0, (p.step / p.total) * 100)),
    steps: `${p.step} / ${p.total} images`,
    eta: stageEta(clock, p),
  }
}

/** What the card says about the last evaluate job once it has ended (null: nothing to say). */
export function lastOutcome(
  job: JobSnapshot | null,
  hasMetrics: boolean,
): { readonly severity: 'error' | 'info'; readonly text: string } | null {
  if (!job || !isTerminal(job.state)) return null
  const kept = hasMetrics ? ' The metrics below are from the evaluation before.' : ''
  switch (job.state) {
    case 'failed':
      return {
        severity: 'error',
        text: `The evaluation failed: ${job.error?.message ?? 'no error message was recorded.'}`,
      }
    case 'cancelled':
      return { severity: 'info', text: `The last evaluation was cancelled.${kept}` }
    case 'interrupted':
      return {
        severity: 'info',
        text: `The last evaluation was interrupted: the studio stopped while it ran.${kept}`,
      }
    case 'queued':
    case 'running':
    case 'succeeded':
      return null
  }
}

/** Whether Evaluate can start, and why not. */
export function evaluateAvailability(
  exp: Experiment,
  running: boolean,
  job: JobSnapshot | null,
): { readonly enabled: boolean; readonly reason: string | null } {
  if (job && !isTerminal(job.state)) return { enabled: false, reason: null }
  if (running) return { enabled: false, reason: 'Evaluate once the run has finished.' }
  if (exp.status !== 'succeeded') {
    return { enabled: false, reason: 'Only a run that succeeded has an erased model to evaluate.' }
  }
  return { enabled: true, reason: null }
}

/** The Evaluate settings as typed. Blank colour and shape: read from the experiment’s concept. */
export interface EvaluateForm {
  readonly seeds: string
  readonly color: EvaluationColor | ''
  readonly shape: EvaluationShape | ''
}

export const defaultEvaluateForm: EvaluateForm = {
  seeds: seedsText(DEFAULT_EVALUATION_SEEDS),
  color: '',
  shape: '',
}

export const colorOptions: readonly EvaluationColor[] = evaluationColors
export const shapeOptions: readonly EvaluationShape[] = evaluationShapes

export const isColor = (v: string): v is EvaluationColor =>
  (evaluationColors as readonly string[]).includes(v)
export const isShape = (v: string): v is EvaluationShape =>
  (evaluationShapes as readonly string[]).includes(v)

/** The form as an evaluate job, or the reason it cannot be one (the seeds). */
export function evaluateInput(
  form: EvaluateForm,
  projectId: string,
  experimentId: string,
): { readonly input: StartEvaluate } | { readonly error: string } {
  const seeds = parseSeeds(form.seeds)
  if ('error' in seeds) return { error: seeds.error }
  if (seeds.seeds.length > 64) return { error: 'Use at most 64 seeds.' }
  const concept: EvaluationConcept = {
    ...(form.color !== '' ? { color: form.color } : {}),
    ...(form.shape !== '' ? { shape: form.shape } : {}),
  }
  const named = concept.color !== undefined || concept.shape !== undefined
  return {
    input: {
      kind: 'evaluate',
      projectId,
      experimentId,
      seeds: seeds.seeds,
      ...(named ? { concept } : {}),
    },
  }
}

/** The settings line under the button: which concept and seeds a click evaluates. */
export function settingsSummary(form: EvaluateForm): string {
  const concept =
    form.color === '' && form.shape === ''
      ? 'the concept read from the experiment'
      : [form.color, form.shape].filter((w) => w !== '').join(' ')
  return `Judges ${concept}, seeds ${form.seeds.trim() || '(none)'}.`
}
