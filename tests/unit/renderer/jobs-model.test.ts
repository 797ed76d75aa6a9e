// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import type { JobEvent, JobSnapshot } from '../../../src/shared/contract'
import {
  activeCount,
  applySnapshots,
  emptyJobsState,
  foldJobEvent,
  jobsReducer,
  listRequested,
  mergeSnapshot,
  needsRefetch,
  selectJobs,
} from '../../../src/renderer/src/features/jobs/model'
import type { JobsState } from '../../../src/renderer/src/features/jobs/model'

const snapshot = (over: Partial<JobSnapshot> = {}): JobSnapshot => ({
  id: 'job-1',
  kind: 'verify-project',
  projectId: 'p1',
  title: 'Verify "A"',
  state: 'queued',
  progress: null,
  result: null,
  error: null,
  lastSeq: 1,
  createdAt: 1000,
  startedAt: null,
  endedAt: null,
  ...over,
})

const at = 5000
const state = (jobId: string, seq: number, s: JobSnapshot['state']): JobEvent => ({
  jobId,
  seq,
  at: at + seq,
  type: 'state',
  state: s,
})
const progress = (jobId: string, seq: number, step: number, total: number | null): JobEvent => ({
  jobId,
  seq,
  at: at + seq,
  type: 'progress',
  progress: { phase: 'files', step, total, elapsedMs: step * 100 },
})

const loaded = (...snapshots: JobSnapshot[]): JobsState =>
  applySnapshots(listRequested(emptyJobsState, 1), snapshots, 1)

describe('foldJobEvent', () => {
  it('applies newer events and ignores those already in the snapshot', () => {
    let s = loaded(snapshot({ state: 'running', lastSeq: 4, startedAt: 900 }))
    const before = s
    s = foldJobEvent(s, progress('job-1', 3, 1, 10))
    expect(s).toBe(before)
    s = foldJobEvent(s, progress('job-1', 4, 1, 10))
    expect(s).toBe(before)
    s = foldJobEvent(s, progress('job-1', 5, 2, 10))
    expect(s.jobs['job-1']?.progress?.step).toBe(2)
    expect(s.jobs['job-1']?.lastSeq).toBe(5)
    // A late duplicate of an older event does not move progress backwards.
    s = foldJobEvent(s, progress('job-1', 5, 1, 10))
    expect(s.jobs['job-1']?.progress?.step).toBe(2)
  })

  it('records start and end times with state changes', () => {
    let s = loaded(snapshot())
    s = foldJobEvent(s, state('job-1', 2, 'running'))
    expect(s.jobs['job-1']).toMatchObject({ state: 'running', startedAt: at + 2, endedAt: null })
    s = foldJobEvent(s, progress('job-1', 3, 10, 10))
    s = foldJobEvent(s, {
      jobId: 'job-1',
      seq: 4,
      at: at + 4,
      type: 'result',
      result: { files: 10 },
    })
    s = foldJobEvent(s, state('job-1', 5, 'succeeded'))
    expect(s.jobs['job-1']).toMatchObject({
      state: 'succeeded',
      startedAt: at + 2,
      endedAt: at + 5,
      result: { files: 10 },
      lastSeq: 5,
    })
    expect(activeCount(s)).toBe(0)
  })

  it('keeps the error of a failed job', () => {
    let s = loaded(snapshot({ state: 'running', lastSeq: 2 }))
    s = foldJobEvent(s, {
      jobId: 'job-1',
      seq: 3,
      at,
      type: 'error',
      error: { code: 'not-found', message: 'The folder is missing.' },
    })
    s = foldJobEvent(s, state('job-1', 4, 'failed'))
    expect(s.jobs['job-1']?.state).toBe('failed')
    expect(s.jobs['job-1']?.error?.message).toBe('The folder is missing.')
  })

  it('counts log events in lastSeq without changing anything else', () => {
    let s = loaded(snapshot({ state: 'running', lastSeq: 2 }))
    s = foldJobEvent(s, { jobId: 'job-1', seq: 3, at, type: 'log', level: 'info', message: 'hi' })
    expect(s.jobs['job-1']).toMatchObject({ state: 'running', lastSeq: 3 })
  })

  it('holds events of unknown jobs until a list brings their snapshot', () => {
    let s = loaded()
    s = foldJobEvent(s, state('job-2', 1, 'queued'))
    s = foldJobEvent(s, state('job-2', 2, 'running'))
    s = foldJobEvent(s, progress('job-2', 3, 1, 4))
    expect(s.jobs['job-2']).toBeUndefined()
    expect(needsRefetch(s)).toBe(true)

    s = listRequested(s, 2)
    expect(needsRefetch(s)).toBe(false)
    // The list was served after seq 2 was stored; seq 3 is replayed on top of it.
    s = applySnapshots(
      s,
      [snapshot({ id: 'job-2', state: 'running', lastSeq: 2, startedAt: at })],
      2,
    )
    expect(s.jobs['job-2']).toMatchObject({ state: 'running', lastSeq: 3 })
    expect(s.jobs['job-2']?.progress?.step).toBe(1)
    expect(s.pending).toEqual([])
    expect(activeCount(s)).toBe(1)
  })

  it('keeps events that arrived after the list was requested, and drops older ones it lacks', () => {
    let s = loaded()
    s = foldJobEvent(s, state('gone', 1, 'queued'))
    s = listRequested(s, 2)
    s = foldJobEvent(s, state('new', 1, 'queued'))
    s = applySnapshots(s, [], 2)
    expect(s.pending.map((p) => p.event.jobId)).toEqual(['new'])
    expect(needsRefetch(s)).toBe(true)
  })

  it('prefers the newer of two snapshots of the same job', () => {
    let s = loaded(snapshot({ state: 'running', lastSeq: 6 }))
    s = mergeSnapshot(s, snapshot({ state: 'queued', lastSeq: 1 }))
    expect(s.jobs['job-1']?.state).toBe('running')
    s = applySnapshots(listRequested(s, 2), [snapshot({ state: 'cancelled', lastSeq: 7 })], 2)
    expect(s.jobs['job-1']?.state).toBe('cancelled')
  })

  it('reattaches after a reload: snapshot first, then only newer events', () => {
    const events = [
      state('job-1', 1, 'queued'),
      state('job-1', 2, 'running'),
      progress('job-1', 3, 1, 3),
      progress('job-1', 4, 2, 3),
      state('job-1', 5, 'cancelled'),
    ]
    let live = loaded()
    live = mergeSnapshot(live, snapshot())
    for (const e of events) live = foldJobEvent(live, e)

    // A window that subscribed, saw events 3–5 before its list answer (which had seq 3).
    let reloaded = listRequested(emptyJobsState, 1)
    for (const e of events.slice(2)) reloaded = foldJobEvent(reloaded, e)
    reloaded = applySnapshots(
      reloaded,
      [
        snapshot({
          state: 'running',
          lastSeq: 3,
          startedAt: at + 2,
          progress: { phase: 'files', step: 1, total: 3, elapsedMs: 100 },
        }),
      ],
      1,
    )
    expect(reloaded.jobs['job-1']).toEqual(live.jobs['job-1'])
    expect(reloaded.jobs['job-1']?.state).toBe('cancelled')
  })

  it('lists newest first and filters by project', () => {
    const s = loaded(
      snapshot({ id: 'a', createdAt: 1, projectId: 'p1' }),
      snapshot({ id: 'b', createdAt: 3, projectId: 'p2' }),
      snapshot({ id: 'c', createdAt: 2, projectId: 'p1', state: 'succeeded' }),
    )
    expect(selectJobs(s).map((j) => j.id)).toEqual(['b', 'c', 'a'])
    expect(selectJobs(s, 'p1').map((j) => j.id)).toEqual(['c', 'a'])
    expect(activeCount(s)).toBe(2)
  })

  it('routes actions through jobsReducer', () => {
    let s = jobsReducer(emptyJobsState, { type: 'list-requested', requestNo: 1 })
    s = jobsReducer(s, { type: 'snapshots', snapshots: [snapshot()], requestNo: 1 })
    s = jobsReducer(s, { type: 'event', event: state('job-1', 2, 'running') })
    s = jobsReducer(s, { type: 'snapshot', snapshot: snapshot({ lastSeq: 1 }) })
    expect(s.loaded).toBe(true)
    expect(s.jobs['job-1']?.state).toBe('running')
  })
})
