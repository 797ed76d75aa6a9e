import type { JobEvent, JobSnapshot } from '../../../../shared/contract'
import { isTerminal } from '../../../../shared/contract'

/**
 * Jobs as the renderer sees them: snapshots from `jobs.list`, kept current by folding the
 * host's job events into them. Everything here is pure, so the rules are unit-tested:
 * - an event with `seq` ≤ the snapshot's `lastSeq` is already in the snapshot and is ignored
 *   (this is what lets a reloaded window ask for snapshots, then apply only newer events);
 * - an event for a job we have no snapshot of is held in `pending`, and the hook refetches
 *   `jobs.list`; when the answer arrives the held events are replayed on top.
 */
export interface PendingEvent {
  readonly event: JobEvent
  /** How many list requests had been sent when the event arrived. */
  readonly requestsBefore: number
}

export interface JobsState {
  readonly jobs: Readonly<Record<string, JobSnapshot>>
  readonly pending: readonly PendingEvent[]
  /** Number of `jobs.list` requests sent so far. */
  readonly requests: number
  /** True once a first list has been applied. */
  readonly loaded: boolean
}

export const emptyJobsState: JobsState = { jobs: {}, pending: [], requests: 0, loaded: false }

/** Applies one event to a snapshot; returns the same object when the event is not newer. */
export function applyJobEvent(job: JobSnapshot, event: JobEvent): JobSnapshot {
  if (event.seq <= job.lastSeq) return job
  const next: JobSnapshot = { ...job, lastSeq: event.seq }
  switch (event.type) {
    case 'state':
      return {
        ...next,
        state: event.state,
        startedAt: event.state === 'running' ? (job.startedAt ?? event.at) : job.startedAt,
        endedAt: isTerminal(event.state) ? event.at : job.endedAt,
      }
    case 'progress':
      return { ...next, progress: event.progress }
    case 'result':
      return { ...next, result: event.result }
    case 'error':
      return { ...next, error: event.error }
    case 'log':
      return next
  }
}

/** Folds one job event into the state (see the module comment for the rules). */
export function foldJobEvent(state: JobsState, event: JobEvent): JobsState {
  const job = state.jobs[event.jobId]
  if (!job) {
    return { ...state, pending: [...state.pending, { event, requestsBefore: state.requests }] }
  }
  const next = applyJobEvent(job, event)
  if (next === job) return state
  return { ...state, jobs: { ...state.jobs, [job.id]: next } }
}

/** Keeps whichever snapshot of a job is newer (higher `lastSeq`). */
export function mergeSnapshot(state: JobsState, snapshot: JobSnapshot): JobsState {
  const current = state.jobs[snapshot.id]
  if (current && current.lastSeq >= snapshot.lastSeq) return state
  return replayPending({ ...state, jobs: { ...state.jobs, [snapshot.id]: snapshot } }, 0)
}

/** Marks that list request number `requestNo` has been sent. */
export function listRequested(state: JobsState, requestNo: number): JobsState {
  return requestNo > state.requests ? { ...state, requests: requestNo } : state
}

/**
 * Applies the answer to list request `requestNo`: merges every snapshot, replays held events of
 * jobs now known, and drops held events of jobs that list should have contained but did not
 * (they arrived before the request was sent, and the host stores a job before announcing it).
 */
export function applySnapshots(
  state: JobsState,
  snapshots: readonly JobSnapshot[],
  requestNo: number,
): JobsState {
  const jobs: Record<string, JobSnapshot> = { ...state.jobs }
  for (const s of snapshots) {
    const current = jobs[s.id]
    if (!current || current.lastSeq < s.lastSeq) jobs[s.id] = s
  }
  return replayPending({ ...state, jobs, loaded: true }, requestNo)
}

/** Replays held events of known jobs; drops held events of unknown jobs older than `dropBefore`. */
function replayPending(state: JobsState, dropBefore: number): JobsState {
  if (state.pending.length === 0) return state
  const jobs: Record<string, JobSnapshot> = { ...state.jobs }
  const keep: PendingEvent[] = []
  const ordered = [...state.pending].sort((a, b) => a.event.seq - b.event.seq)
  for (const p of ordered) {
    const job = jobs[p.event.jobId]
    if (job) jobs[job.id] = applyJobEvent(job, p.event)
    else if (p.requestsBefore >= dropBefore) keep.push(p)
  }
  return { ...state, jobs, pending: keep }
}

/** Whether some events wait for a snapshot that a new `jobs.list` would bring. */
export const needsRefetch = (state: JobsState): boolean =>
  state.pending.some((p) => p.requestsBefore >= state.requests)

/** Newest first. */
export function selectJobs(state: JobsState, projectId?: string): JobSnapshot[] {
  return Object.values(state.jobs)
    .filter((j) => projectId === undefined || j.projectId === projectId)
    .sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id))
}

export const isActive = (job: JobSnapshot): boolean => !isTerminal(job.state)

export const activeCount = (state: JobsState): number =>
  Object.values(state.jobs).filter(isActive).length

export type JobsAction =
  | { readonly type: 'event'; readonly event: JobEvent }
  | { readonly type: 'list-requested'; readonly requestNo: number }
  | {
      readonly type: 'snapshots'
      readonly snapshots: readonly JobSnapshot[]
      readonly requestNo: number
    }
  | { readonly type: 'snapshot'; readonly snapshot: JobSnapshot }

export function jobsReducer(state: JobsState, action: JobsAction): JobsState {
  switch (action.type) {
    case 'event':
      return foldJobEvent(state, action.event)
    case 'list-requested':
      return listRequested(state, action.requestNo)
    case 'snapshots':
      return applySnapshots(state, action.snapshots, action.requestNo)
    case 'snapshot':
      return mergeSnapshot(state, action.snapshot)
  }
}
