// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import type { JobSnapshot } from '../../../src/shared/contract'
import {
  formatEta,
  outcomeText,
  phaseLabel,
  progressView,
} from '../../../src/renderer/src/features/jobs/progress-view'
import { formatDuration } from '../../../src/renderer/src/components/format'

const p = (step: number, total: number | null, elapsedMs: number) => ({
  phase: 'files',
  step,
  total,
  elapsedMs,
})

const job = (over: Partial<JobSnapshot>): JobSnapshot => ({
  id: 'j',
  kind: 'verify-project',
  projectId: null,
  title: 'Verify',
  state: 'running',
  progress: null,
  result: null,
  error: null,
  lastSeq: 1,
  createdAt: 0,
  startedAt: 0,
  endedAt: null,
  ...over,
})

describe('formatEta', () => {
  it('extrapolates the time per step over the steps left', () => {
    expect(formatEta(p(5, 20, 4000))).toBe('about 12 s left')
    expect(formatEta(p(1, 2, 400))).toBe('about 1 s left')
    expect(formatEta(p(1, 1000, 10))).toBe('about 10 s left')
    expect(formatEta(p(1, 4, 60_000))).toBe('about 3 min left')
    expect(formatEta(p(1, 3, 3_600_000))).toBe('about 2 h left')
    expect(formatEta(p(2, 5, 3_000_000))).toBe('about 1 h 15 min left')
  })

  it('has nothing to say without a total, before the first step, or when done', () => {
    expect(formatEta(null)).toBeNull()
    expect(formatEta(p(3, null, 1000))).toBeNull()
    expect(formatEta(p(0, 10, 1000))).toBeNull()
    expect(formatEta(p(10, 10, 1000))).toBeNull()
  })

  it('rounds up to at least a second', () => {
    expect(formatEta(p(99, 100, 990))).toBe('about 1 s left')
  })
})

describe('progressView', () => {
  it('is determinate with steps and ETA when the total is known', () => {
    const v = progressView(job({ progress: p(5, 20, 4000) }))
    expect(v).toEqual({
      bar: 'determinate',
      percent: 25,
      steps: '5 / 20',
      phase: 'Checking files',
      eta: 'about 12 s left',
    })
  })

  it('is indeterminate without a total, and while queued', () => {
    expect(progressView(job({ progress: { ...p(0, null, 5), phase: 'database' } }))).toMatchObject({
      bar: 'indeterminate',
      steps: null,
      phase: 'Checking the project database',
    })
    expect(progressView(job({ state: 'queued', startedAt: null }))).toMatchObject({
      bar: 'indeterminate',
      phase: 'Waiting to start',
    })
  })

  it('shows no bar once a job ended', () => {
    expect(progressView(job({ state: 'cancelled', progress: p(3, 20, 900) })).bar).toBe('none')
  })
})

describe('outcomeText', () => {
  it('describes each final state', () => {
    expect(outcomeText(job({ state: 'succeeded', startedAt: 0, endedAt: 8200 }))).toBe(
      'Finished in 8 s.',
    )
    expect(
      outcomeText(job({ state: 'failed', error: { code: 'internal', message: 'Disk full.' } })),
    ).toBe('Disk full.')
    expect(outcomeText(job({ state: 'cancelled', progress: p(7, 20, 1) }))).toBe(
      'Cancelled at step 7 of 20.',
    )
    expect(outcomeText(job({ state: 'interrupted' }))).toMatch(/^Interrupted: the studio stopped/)
    expect(outcomeText(job({ state: 'running' }))).toBeNull()
  })
})

describe('labels and durations', () => {
  it('labels unknown phases readably', () => {
    expect(phaseLabel('denoise-steps')).toBe('Denoise steps')
  })

  it('formats durations', () => {
    expect(formatDuration(850)).toBe('850 ms')
    expect(formatDuration(12_400)).toBe('12 s')
    expect(formatDuration(185_000)).toBe('3 min 5 s')
    expect(formatDuration(3_840_000)).toBe('1 h 4 min')
  })
})
