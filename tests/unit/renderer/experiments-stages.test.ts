import { describe, expect, it } from 'vitest'
import type { Progress } from '../../../src/shared/contract'
import type { StagesInput } from '../../../src/renderer/src/features/experiments/stages-model'
import {
  activeStep,
  currentStage,
  deriveStages,
  nextStageClock,
  reachedStage,
  runRefreshKey,
  runStateOf,
  stageEta,
  stagesFor,
} from '../../../src/renderer/src/features/experiments/stages-model'
import { eraseJob, experiment } from './helpers/experiment-fixtures'

const input = (over: Partial<StagesInput>): StagesInput => ({
  state: 'running',
  phase: null,
  galleryEnabled: true,
  full: false,
  timings: {},
  ...over,
})

const statuses = (i: StagesInput): string[] => deriveStages(i).map((s) => `${s.id}:${s.status}`)

const progress = (
  phase: string,
  step: number,
  total: number | null,
  elapsedMs: number,
): Progress => ({
  phase,
  step,
  total,
  elapsedMs,
})

describe('erase stages from job events', () => {
  it('has the LoRA stages only for the full variant', () => {
    expect(stagesFor(false)).toEqual(['load', 'encode', 'mine', 'solve', 'gallery'])
    expect(stagesFor(true)).toEqual([
      'load',
      'encode',
      'mine',
      'solve',
      'latents',
      'train',
      'gallery',
    ])
  })

  it('adds the evaluation stage for a run that evaluates; a cancel there names it', () => {
    expect(stagesFor(false, true)).toEqual([
      'load',
      'encode',
      'mine',
      'solve',
      'gallery',
      'evaluate',
    ])
    const cancelled = deriveStages(
      input({ state: 'cancelled', phase: 'evaluate', evaluate: true, full: true }),
    )
    expect(cancelled.map((st) => `${st.id}:${st.status}`).slice(-3)).toEqual([
      'train:done',
      'gallery:done',
      'evaluate:cancelled',
    ])
    expect(cancelled.at(-1)?.label).toBe('Evaluate')
    expect(currentStage('running', progress('evaluate', 3, 12, 900))).toMatchObject({
      label: 'Evaluating the erased model',
      steps: '3 / 12 images',
    })
  })

  it('marks stages before the current phase done, the phase active, the rest pending', () => {
    expect(statuses(input({ phase: 'mine' }))).toEqual([
      'load:done',
      'encode:done',
      'mine:active',
      'solve:pending',
      'gallery:pending',
    ])
    expect(activeStep(deriveStages(input({ phase: 'mine' })))).toBe(2)
    expect(statuses(input({ state: 'queued' }))).toEqual(
      stagesFor(false).map((s) => `${s}:pending`),
    )
    expect(statuses(input({ phase: null }))[0]).toBe('load:active')
  })

  it('ends all done on success, with each stage’s timing; a turned-off gallery is skipped', () => {
    const stages = deriveStages(
      input({
        state: 'succeeded',
        phase: 'solve',
        galleryEnabled: false,
        timings: { mineMs: 1500 },
      }),
    )
    expect(stages.map((s) => s.status)).toEqual(['done', 'done', 'done', 'done', 'skipped'])
    expect(stages[2]?.caption).toBe('2 s')
    expect(stages[4]?.caption).toBe('Turned off')
    expect(activeStep(stages)).toBe(5)
  })

  it('shows where a run failed or was cancelled', () => {
    expect(statuses(input({ state: 'cancelled', phase: 'gallery' })).slice(-2)).toEqual([
      'solve:done',
      'gallery:cancelled',
    ])
    const failed = deriveStages(input({ state: 'failed', phase: null }))
    expect(failed[0]).toMatchObject({ id: 'load', status: 'failed', caption: 'Failed' })
    expect(statuses(input({ state: 'running', phase: 'train', full: true }))).toContain(
      'latents:done',
    )
  })

  it('without a job, infers the stage reached from the stored timings', () => {
    const stages = stagesFor(false)
    expect(reachedStage(stages, null, {})).toBe(0)
    expect(reachedStage(stages, null, { encodeMs: 1, mineMs: 1, solveMs: 1 })).toBe(4)
    expect(reachedStage(stages, null, { encodeMs: 1, mineMs: 1, solveMs: 1, galleryMs: 1 })).toBe(4)
    expect(reachedStage(stages, 'gallery', {})).toBe(4)
  })

  it('prefers the live job’s state over the stored status', () => {
    expect(runStateOf(eraseJob({ state: 'cancelled' }), experiment({ status: 'running' }))).toBe(
      'cancelled',
    )
    expect(runStateOf(null, experiment({ status: 'interrupted' }))).toBe('interrupted')
    expect(runStateOf(null, null)).toBeNull()
  })
})

describe('current stage progress and ETA', () => {
  it('describes the running stage with its count and bar', () => {
    expect(currentStage('running', progress('gallery', 9, 36, 5000))).toEqual({
      label: 'Rendering the before/after gallery',
      bar: 'determinate',
      percent: 25,
      steps: '9 / 36 images',
    })
    expect(currentStage('running', progress('load', 0, null, 0))).toMatchObject({
      label: 'Loading the model',
      bar: 'indeterminate',
      steps: null,
    })
    expect(currentStage('running', progress('solve', 0, 1, 0))?.steps).toBeNull()
    expect(currentStage('queued', null)?.label).toBe('Waiting for the running job to finish')
    expect(currentStage('succeeded', progress('gallery', 36, 36, 9000))).toBeNull()
  })

  it('measures ETA from the stage’s own start, also when first seen mid-stage', () => {
    let clock = nextStageClock(null, progress('mine', 4, 4, 3000))
    clock = nextStageClock(clock, progress('gallery', 2, 20, 4000))
    expect(clock).toEqual({ phase: 'gallery', elapsedMs: 4000, step: 2 })
    const same = nextStageClock(clock, progress('gallery', 6, 20, 6000))
    expect(same).toBe(clock)
    // 4 images in 2 s since the stage clock started: 14 left take 7 s.
    expect(stageEta(clock, progress('gallery', 6, 20, 6000))).toBe('about 7 s left')
    expect(stageEta(clock, progress('gallery', 2, 20, 4500))).toBeNull()
    expect(stageEta(clock, progress('solve', 0, 1, 7000))).toBeNull()
    expect(nextStageClock(clock, null)).toBe(clock)
  })

  it('changes the refresh key on state, stage and gallery step only', () => {
    const a = runRefreshKey(eraseJob({ progress: progress('mine', 1, 4, 10) }))
    expect(runRefreshKey(eraseJob({ progress: progress('mine', 3, 4, 20) }))).toBe(a)
    expect(runRefreshKey(eraseJob({ progress: progress('solve', 0, 1, 20) }))).not.toBe(a)
    const g1 = runRefreshKey(eraseJob({ progress: progress('gallery', 1, 4, 20) }))
    expect(runRefreshKey(eraseJob({ progress: progress('gallery', 2, 4, 20) }))).not.toBe(g1)
    expect(runRefreshKey(null)).toBe('')
  })
})
