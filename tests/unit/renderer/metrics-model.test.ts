import { describe, expect, it } from 'vitest'
import type { ExperimentMetrics, JobSnapshot } from '../../../src/shared/contract'
import { startJobSchema } from '../../../src/shared/contract'
import {
  conceptLabel,
  countsText,
  defaultEvaluateForm,
  evaluateAvailability,
  evaluateInput,
  evaluateJobOf,
  evaluationProgress,
  generationText,
  lastOutcome,
  metricViews,
  percentText,
  settingsSummary,
} from '../../../src/renderer/src/features/experiments/metrics-model'
import { nextStageClock } from '../../../src/renderer/src/features/experiments/stages-model'
import { eraseJob, experiment } from './helpers/experiment-fixtures'

const metrics = (over: Partial<ExperimentMetrics> = {}): ExperimentMetrics => ({
  evaluator: 'shapeworld-pixels',
  accE: 0.125,
  accS: 0.9,
  accG: 1 / 3,
  ho: 0.7912,
  counts: { erasure: 10, preserved: 50, generalization: 13 },
  seeds: [1, 2, 3, 4],
  evaluatedAt: 5_000,
  ...over,
})

const evalJob = (over: Partial<JobSnapshot> = {}): JobSnapshot =>
  eraseJob({ id: 'ev1', kind: 'evaluate', title: 'Evaluate experiment 1', ...over })

describe('evaluation card view logic', () => {
  it('shows the four metrics in order with values and which way is better', () => {
    const views = metricViews(metrics())
    expect(views.map((v) => [v.label, v.value, v.better])).toEqual([
      ['Acc_e', '12.5 %', 'lower'],
      ['Acc_s', '90.0 %', 'higher'],
      ['Acc_g', '33.3 %', 'lower'],
      ['H_o', '79.1 %', 'higher'],
    ])
    for (const v of views)
      expect(v.help).toMatch(v.better === 'lower' ? /Lower is better\.$/ : /Higher is better\.$/)
    expect(percentText(0)).toBe('0.0 %')
    expect(percentText(1)).toBe('100.0 %')
  })

  it('describes what was measured: concept, counts, seeds and drawing settings', () => {
    expect(conceptLabel({ color: 'red' })).toBe('red')
    expect(conceptLabel({ shape: 'circle' })).toBe('circle')
    expect(conceptLabel({ color: 'red', shape: 'circle' })).toBe('red circle')
    expect(conceptLabel(undefined)).toBeNull()
    expect(countsText(metrics().counts)).toBe(
      '10 erasure · 50 preserved · 13 generalization (73 images)',
    )
    expect(countsText({ erasure: 1, preserved: 0, generalization: 0 })).toMatch(/\(1 image\)$/)
    expect(generationText(undefined)).toBeNull()
    expect(generationText({ steps: 25, guidance: 7.5, scheduler: 'ddim', size: 64 })).toBe(
      '25 steps · guidance 7.5 · DDIM · 64 × 64 px',
    )
  })

  it('finds the newest evaluate job of this experiment only', () => {
    const jobs = [
      evalJob({ id: 'old', createdAt: 1 }),
      evalJob({ id: 'new', createdAt: 5 }),
      evalJob({ id: 'other-exp', createdAt: 9, title: 'Evaluate experiment 12' }),
      evalJob({ id: 'other-project', createdAt: 9, projectId: 'p2' }),
      eraseJob({ id: 'erase', createdAt: 9, title: 'Evaluate experiment 1' }),
    ]
    expect(evaluateJobOf(jobs, 'p1', 1)?.id).toBe('new')
    expect(evaluateJobOf(jobs, 'p1', 2)).toBeNull()
  })

  it('shows loading, then images judged with an ETA measured from the evaluate phase', () => {
    expect(evaluationProgress(evalJob({ state: 'queued' }), null).label).toMatch(/Waiting/)
    const loading = evalJob({ progress: { phase: 'load', step: 0, total: null, elapsedMs: 0 } })
    expect(evaluationProgress(loading, null)).toMatchObject({
      label: 'Loading the model',
      percent: null,
      steps: null,
      eta: null,
    })
    // The model took 60 s to load; then 10 images in 10 s: 30 left take ≈ 30 s, not 4 min.
    const first = { phase: 'evaluate', step: 0, total: 40, elapsedMs: 60_000 }
    const clock = nextStageClock(nextStageClock(null, loading.progress), first)
    const now = evalJob({ progress: { phase: 'evaluate', step: 10, total: 40, elapsedMs: 70_000 } })
    const view = evaluationProgress(now, clock)
    expect(view.percent).toBe(25)
    expect(view.steps).toBe('10 / 40 images')
    expect(view.eta).toBe('about 30 s left')
  })

  it('says how the last evaluation ended, and that earlier metrics are kept', () => {
    expect(lastOutcome(null, false)).toBeNull()
    expect(lastOutcome(evalJob({ state: 'running' }), true)).toBeNull()
    expect(lastOutcome(evalJob({ state: 'succeeded' }), true)).toBeNull()
    expect(lastOutcome(evalJob({ state: 'cancelled' }), true)).toEqual({
      severity: 'info',
      text: 'The last evaluation was cancelled. The metrics below are from the evaluation before.',
    })
    expect(lastOutcome(evalJob({ state: 'cancelled' }), false)?.text).toBe(
      'The last evaluation was cancelled.',
    )
    const failed = evalJob({
      state: 'failed',
      error: { code: 'invalid-input', message: 'No colour.' },
    })
    expect(lastOutcome(failed, false)).toEqual({
      severity: 'error',
      text: 'The evaluation failed: No colour.',
    })
    expect(lastOutcome(evalJob({ state: 'interrupted' }), false)?.text).toMatch(/interrupted/)
  })

  it('offers Evaluate only for a finished, succeeded run with no evaluation running', () => {
    const done = experiment()
    expect(evaluateAvailability(done, false, null)).toEqual({ enabled: true, reason: null })
    expect(evaluateAvailability(done, false, evalJob({ state: 'cancelled' })).enabled).toBe(true)
    expect(evaluateAvailability(done, false, evalJob({ state: 'running' })).enabled).toBe(false)
    expect(evaluateAvailability(done, true, null)).toEqual({
      enabled: false,
      reason: 'Evaluate once the run has finished.',
    })
    expect(evaluateAvailability(experiment({ status: 'failed' }), false, null)).toEqual({
      enabled: false,
      reason: 'Only a run that succeeded has an erased model to evaluate.',
    })
  })

  it('builds a valid evaluate job from the settings, or names the problem', () => {
    const plain = evaluateInput(defaultEvaluateForm, 'p1', 'e1')
    expect(plain).toEqual({
      input: { kind: 'evaluate', projectId: 'p1', experimentId: 'e1', seeds: [1, 2, 3, 4] },
    })
    if ('input' in plain) expect(startJobSchema.parse(plain.input)).toEqual(plain.input)
    const named = evaluateInput({ seeds: '7 8', color: 'red', shape: 'circle' }, 'p1', 'e1')
    expect(named).toEqual({
      input: {
        kind: 'evaluate',
        projectId: 'p1',
        experimentId: 'e1',
        seeds: [7, 8],
        concept: { color: 'red', shape: 'circle' },
      },
    })
    if ('input' in named) expect(startJobSchema.safeParse(named.input).success).toBe(true)
    expect(evaluateInput({ ...defaultEvaluateForm, seeds: '' }, 'p1', 'e1')).toEqual({
      error: 'Enter at least one seed.',
    })
    expect(evaluateInput({ ...defaultEvaluateForm, seeds: '1, x' }, 'p1', 'e1')).toMatchObject({
      error: expect.stringMatching(/"x" is not/) as unknown,
    })
    const many = Array.from({ length: 65 }, (_, i) => i).join(',')
    expect(evaluateInput({ ...defaultEvaluateForm, seeds: many }, 'p1', 'e1')).toEqual({
      error: 'Use at most 64 seeds.',
    })
  })

  it('summarizes the settings a click evaluates', () => {
    expect(settingsSummary(defaultEvaluateForm)).toBe(
      'Judges the concept read from the experiment, seeds 1, 2, 3, 4.',
    )
    expect(settingsSummary({ seeds: '3', color: '', shape: 'star' })).toBe('Judges star, seeds 3.')
  })
})
