import type { JobSnapshot, StartJob } from '../../../../shared/contract'
import type { StudioClient } from '../../api/client'
import type { JobsAction, JobsState } from './model'
import { emptyJobsState, jobsReducer, needsRefetch } from './model'

export interface JobsView {
  readonly state: JobsState
  /** The last `jobs.list` failure, cleared by the next success. */
  readonly loadError: unknown
}

/**
 * Keeps the jobs state outside React (read with useSyncExternalStore): subscribes to job
 * events first, then loads snapshots with `jobs.list`, so a reloaded window reattaches to
 * running jobs without missing or double-applying an event. Events of jobs it has never seen
 * trigger another `jobs.list`, one request at a time.
 */
export class JobsStore {
  private view: JobsView = { state: emptyJobsState, loadError: null }
  private readonly listeners = new Set<() => void>()
  private requests = 0
  private fetching = false
  private unsubscribe: (() => void) | null = null

  constructor(private readonly client: StudioClient) {}

  /** Starts listening; returns the function that stops (for an effect's cleanup). */
  connect(): () => void {
    this.unsubscribe?.()
    const off = this.client.subscribe('job', (event) => this.dispatch({ type: 'event', event }))
    this.unsubscribe = off
    this.reload()
    return () => {
      off()
      if (this.unsubscribe === off) this.unsubscribe = null
    }
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  readonly getView = (): JobsView => this.view

  readonly reload = (): void => {
    if (this.fetching) return
    this.fetching = true
    const requestNo = ++this.requests
    this.dispatch({ type: 'list-requested', requestNo })
    this.client.invoke('jobs.list', {}).then(
      (snapshots) => {
        this.fetching = false
        this.set({ loadError: null })
        this.dispatch({ type: 'snapshots', snapshots, requestNo })
      },
      (err: unknown) => {
        this.fetching = false
        this.set({ loadError: err })
      },
    )
  }

  readonly start = async (input: StartJob): Promise<JobSnapshot> => {
    const snapshot = await this.client.invoke('jobs.start', input)
    this.dispatch({ type: 'snapshot', snapshot })
    return snapshot
  }

  readonly cancel = async (jobId: string): Promise<JobSnapshot> => {
    const snapshot = await this.client.invoke('jobs.cancel', { jobId })
    this.dispatch({ type: 'snapshot', snapshot })
    return snapshot
  }

  private dispatch(action: JobsAction): void {
    const state = jobsReducer(this.view.state, action)
    if (state !== this.view.state) this.set({ state })
    if (state.loaded && !this.fetching && this.view.loadError === null && needsRefetch(state)) {
      this.reload()
    }
  }

  private set(patch: Partial<JobsView>): void {
    this.view = { ...this.view, ...patch }
    this.listeners.forEach((l) => l())
  }
}
