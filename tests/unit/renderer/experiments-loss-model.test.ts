import { describe, expect, it } from 'vitest'
import type { JobSnapshot } from '../../../src/shared/contract'
import {
  defaultLogScale,
  hasLoss,
  liveTrainingStep,
  lossDescription,
  lossSeries,
  refetchDelay,
} from '../../../src/renderer/src/features/experiments/loss-model'

const job = (patch: Partial<JobSnapshot> = {}): JobSnapshot => ({
  id: 'j1',
  kind: 'erase',
  projectId: 'p1',
  title: 'Erase',
  state: 'running',
  progress: { phase: 'train', step: 7, total: 20, elapsedMs: 1000 },
  result: null,
  error: null,
  lastSeq: 3,
  createdAt: 1,
  startedAt: 2,
  endedAt: null,
  ...patch,
})

describe('LoRA loss chart model', () => {
  it('numbers per-step losses from step 1 and keeps the held-out points', () => {
    const s = lossSeries({
      lossCurve: [0.4, 0.2, 0.3],
      evalCurve: [
        [0, 0.5],
        [10, 0.05],
      ],
    })
    expect(s.train).toEqual([
      [1, 0.4],
      [2, 0.2],
      [3, 0.3],
    ])
    expect(s.evals).toEqual([
      [0, 0.5],
      [10, 0.05],
    ])
    expect(hasLoss(s)).toBe(true)
    expect(defaultLogScale(s)).toBe(false)
    expect(hasLoss(lossSeries({ lossCurve: [], evalCurve: [] }))).toBe(false)
    expect(defaultLogScale(lossSeries({ lossCurve: [1, 0.01], evalCurve: [] }))).toBe(true)
  })

  it('describes both curves in words', () => {
    const s = lossSeries({
      lossCurve: [0.4, 0.2],
      evalCurve: [
        [0, 0.5],
        [10, 0.0123],
      ],
    })
    expect(lossDescription(s)).toBe(
      'Held-out loss 0.5 at step 0 → 0.0123 at step 10 (2 evaluations). Per-step training loss over 2 steps, between 0.2 and 0.4.',
    )
    expect(lossDescription(lossSeries({ lossCurve: [], evalCurve: [] }))).toBe(
      'No training steps yet.',
    )
  })

  it('follows training steps only while an erase or resume job trains', () => {
    expect(liveTrainingStep(job())).toBe(7)
    expect(liveTrainingStep(job({ kind: 'resume-erase' }))).toBe(7)
    expect(liveTrainingStep(job({ kind: 'generate' }))).toBeNull()
    expect(liveTrainingStep(job({ state: 'cancelled' }))).toBeNull()
    expect(
      liveTrainingStep(job({ progress: { phase: 'gallery', step: 1, total: 4, elapsedMs: 1 } })),
    ).toBeNull()
    expect(liveTrainingStep(null)).toBeNull()
  })

  it('refetches at most once a second, with a trailing refetch for the last steps', () => {
    expect(refetchDelay(null, 5000)).toBe(0)
    expect(refetchDelay(4000, 5000)).toBe(0)
    expect(refetchDelay(4700, 5000)).toBe(700)
    expect(refetchDelay(4999, 5000)).toBe(999)
    expect(refetchDelay(4500, 5000, 250)).toBe(0)
    // A clock that went backwards does not hold refetching off.
    expect(refetchDelay(6000, 5000)).toBe(0)
  })
})
