import type { Experiment, JobSnapshot } from '../../../../shared/contract'
import type { Point } from '../../components/line-chart-model'
import { extentOf, formatValue, suggestsLog } from '../../components/line-chart-model'

/**
 * Pure logic of the LoRA loss chart: the two curves as points, their summary in words, and
 * when a live run's training steps should refetch the stored experiment (at most once a
 * second, and once more after the last step, so the curve ends where training did).
 */
export interface LossSeries {
  /** Per-step training loss: step i + 1 has `lossCurve[i]` (varies with the sampled t). */
  readonly train: readonly Point[]
  /** Held-out eq. 8 loss on fixed (z_t, t), every few steps: the trend. */
  readonly evals: readonly Point[]
}

export function lossSeries(exp: Pick<Experiment, 'lossCurve' | 'evalCurve'>): LossSeries {
  return {
    train: exp.lossCurve.map((loss, i): Point => [i + 1, loss]),
    evals: exp.evalCurve.map(([step, loss]): Point => [step, loss]),
  }
}

export const hasLoss = (s: LossSeries): boolean => s.train.length > 0 || s.evals.length > 0

/** A log axis when the losses span more than 20 times (they often fall by decades). */
export function defaultLogScale(s: LossSeries): boolean {
  return suggestsLog(
    extentOf(
      [...s.train, ...s.evals].map((p) => p[1]),
      true,
    ),
  )
}

/** "Held-out loss 0.412 → 0.057 over 20 steps (3 evaluations); per-step loss …" */
export function lossDescription(s: LossSeries): string {
  const parts: string[] = []
  const first = s.evals[0]
  const last = s.evals[s.evals.length - 1]
  if (first && last) {
    const n = s.evals.length
    parts.push(
      `Held-out loss ${formatValue(first[1])} at step ${first[0]} → ${formatValue(last[1])} at step ${last[0]} (${n} ${n === 1 ? 'evaluation' : 'evaluations'}).`,
    )
  }
  const losses = extentOf(s.train.map((p) => p[1]))
  if (losses) {
    parts.push(
      `Per-step training loss over ${s.train.length} ${s.train.length === 1 ? 'step' : 'steps'}, between ${formatValue(losses.min)} and ${formatValue(losses.max)}.`,
    )
  }
  return parts.length > 0 ? parts.join(' ') : 'No training steps yet.'
}

/** The training step of a live LoRA stage, or null when the job is not training now. */
export function liveTrainingStep(job: JobSnapshot | null): number | null {
  if (!job || (job.kind !== 'erase' && job.kind !== 'resume-erase')) return null
  if (job.state !== 'running' || job.progress?.phase !== 'train') return null
  return job.progress.step
}

/** Refetching the experiment on training steps: at most once every `REFETCH_GAP_MS`. */
export const REFETCH_GAP_MS = 1000

/**
 * How long to wait before refetching for a new step: 0 when the last refetch is at least
 * `gapMs` ago (or there was none), else the rest of the gap (a trailing refetch, so the last
 * steps are not lost when they come faster than once a second).
 */
export function refetchDelay(lastAt: number | null, now: number, gapMs = REFETCH_GAP_MS): number {
  if (lastAt === null) return 0
  const since = now - lastAt
  return since >= gapMs || since < 0 ? 0 : gapMs - since
}
