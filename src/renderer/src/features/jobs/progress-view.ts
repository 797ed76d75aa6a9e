import type { JobSnapshot, JobState, Progress } from '../../../../shared/contract'
import { isTerminal } from '../../../../shared/contract'
import { formatDuration } from '../../components/format'

/**
 * Estimated time left, from the elapsed time and the share of steps done, as "about 12 s left".
 * Null when there is nothing to estimate from (unknown total, no step done yet, or done).
 */
export function formatEta(progress: Progress | null): string | null {
  if (!progress || progress.total === null || progress.step <= 0) return null
  if (progress.step >= progress.total) return null
  const remainingMs = (progress.elapsedMs / progress.step) * (progress.total - progress.step)
  const s = Math.max(1, Math.ceil(remainingMs / 1000))
  if (s < 60) return `about ${s} s left`
  const m = Math.round(s / 60)
  if (m < 60) return `about ${m} min left`
  const h = Math.floor(m / 60)
  const rest = m % 60
  return rest === 0 ? `about ${h} h left` : `about ${h} h ${rest} min left`
}

const stateLabels: Record<JobState, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
}

export const jobStateLabel = (state: JobState): string => stateLabels[state]

export type ChipColor = 'default' | 'primary' | 'success' | 'error' | 'warning' | 'info'

const stateColors: Record<JobState, ChipColor> = {
  queued: 'default',
  running: 'primary',
  succeeded: 'success',
  failed: 'error',
  cancelled: 'default',
  interrupted: 'warning',
}

export const jobStateColor = (state: JobState): ChipColor => stateColors[state]

const phaseLabels: Readonly<Record<string, string>> = {
  database: 'Checking the project database',
  files: 'Checking files',
  evaluate: 'Evaluating the erasure',
}

/** Phases are free-form names from the host; known ones get a friendlier label. */
export function phaseLabel(phase: string): string {
  const known = phaseLabels[phase]
  if (known) return known
  const spaced = phase.replace(/[-_]+/g, ' ').trim()
  return spaced.charAt(0).toUpperCase() + spaced.slice(1)
}

export interface ProgressView {
  /** 'none' for ended jobs, which show their outcome instead of a bar. */
  readonly bar: 'determinate' | 'indeterminate' | 'none'
  /** 0–100 when determinate. */
  readonly percent: number
  /** "7 / 20", or null when the total is unknown. */
  readonly steps: string | null
  readonly phase: string | null
  readonly eta: string | null
}

export function progressView(job: JobSnapshot): ProgressView {
  const p = job.progress
  const steps = p && p.total !== null ? `${p.step} / ${p.total}` : null
  const phase = p ? phaseLabel(p.phase) : job.state === 'queued' ? 'Waiting to start' : null
  if (isTerminal(job.state)) return { bar: 'none', percent: 0, steps, phase, eta: null }
  if (job.state === 'running' && p && p.total !== null) {
    const percent = Math.min(100, Math.max(0, (p.step / p.total) * 100))
    return { bar: 'determinate', percent, steps, phase, eta: formatEta(p) }
  }
  return { bar: 'indeterminate', percent: 0, steps, phase, eta: null }
}

/** The line an ended job shows under its title. */
export function outcomeText(job: JobSnapshot): string | null {
  const took =
    job.startedAt !== null && job.endedAt !== null
      ? formatDuration(job.endedAt - job.startedAt)
      : null
  const p = job.progress
  const at = p && p.total !== null ? ` at step ${p.step} of ${p.total}` : ''
  switch (job.state) {
    case 'queued':
    case 'running':
      return null
    case 'succeeded':
      return took ? `Finished in ${took}.` : 'Finished.'
    case 'failed':
      return job.error?.message ?? 'Failed without an error message.'
    case 'cancelled':
      return `Cancelled${at}.`
    case 'interrupted':
      return `Interrupted${at}: the studio stopped while this job was running. Start it again.`
  }
}
