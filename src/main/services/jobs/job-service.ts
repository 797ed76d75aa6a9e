import { randomUUID } from 'node:crypto'
import { StudioError, toErrorInfo } from '../../../shared/errors'
import type { JobEvent, JobKind, JobSnapshot, JobState, Progress } from '../../../shared/contract'
import { isTerminal } from '../../../shared/contract'
import type { JobsRepo } from '../../db/repositories/jobs-repo'

export interface ProgressUpdate {
  readonly phase: string
  readonly step: number
  readonly total: number | null
}

/** What every long operation receives: `run(input, { signal, onProgress })`. */
export interface JobContext {
  readonly jobId: string
  readonly signal: AbortSignal
  readonly onProgress: (update: ProgressUpdate) => void
  readonly log: (message: string, level?: 'info' | 'warn') => void
}

export type JobRunner = (ctx: JobContext) => Promise<unknown>

export interface JobRequest {
  readonly kind: JobKind
  readonly projectId: string | null
  readonly title: string
  readonly params: unknown
  readonly run: JobRunner
}

interface Active {
  readonly id: string
  readonly controller: AbortController
  seq: number
  startedAt: number
  lastEmit: number
  lastPhase: string
}

/** Progress events are rate-limited, except phase changes and the last step. */
const PROGRESS_INTERVAL_MS = 100

/**
 * Runs jobs one at a time (the engine saturates the CPU, so parallel jobs only slow each
 * other), persists every state change before announcing it, and numbers each job's events.
 * Invariants the tests check: exactly one terminal state; progress steps never go backwards;
 * `seq` strictly increases; a cancelled job has no result.
 */
export class JobService {
  private readonly queue: { id: string; req: JobRequest; controller: AbortController }[] = []
  private active: Active | null = null
  private readonly seqs = new Map<string, number>()
  private drain: Promise<void> = Promise.resolve()

  constructor(
    private readonly repo: JobsRepo,
    private readonly emit: (event: JobEvent) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called once at host start: jobs left queued or running by a dead host are interrupted. */
  recover(): number {
    return this.repo.markInterrupted(this.now())
  }

  list(projectId?: string): JobSnapshot[] {
    return this.repo.list(projectId)
  }

  get(id: string): JobSnapshot {
    const job = this.repo.get(id)
    if (!job) throw new StudioError('not-found', `No job with id ${id}.`)
    return job
  }

  start(req: JobRequest): JobSnapshot {
    const id = randomUUID()
    this.repo.insert({ id, kind: req.kind, projectId: req.projectId, title: req.title, params: req.params, createdAt: this.now() })
    this.seqs.set(id, 0)
    this.pushState(id, 'queued')
    this.queue.push({ id, req, controller: new AbortController() })
    this.drain = this.drain.then(() => this.runNext())
    return this.get(id)
  }

  cancel(id: string): JobSnapshot {
    const job = this.get(id)
    if (isTerminal(job.state)) return job
    const queued = this.queue.find((q) => q.id === id)
    if (queued) queued.controller.abort()
    if (this.active?.id === id) this.active.controller.abort()
    if (queued && this.active?.id !== id) {
      this.queue.splice(this.queue.indexOf(queued), 1)
      this.pushState(id, 'cancelled')
    }
    return this.get(id)
  }

  /** Resolves when every job started so far has ended. */
  async idle(): Promise<void> {
    await this.drain
  }

  private async runNext(): Promise<void> {
    const next = this.queue.shift()
    if (!next) return
    const { id, req, controller } = next
    const startedAt = this.now()
    const active: Active = { id, controller, seq: 0, startedAt, lastEmit: 0, lastPhase: '' }
    this.active = active
    this.pushState(id, 'running')
    const ctx: JobContext = {
      jobId: id,
      signal: controller.signal,
      onProgress: (u) => this.pushProgress(active, u),
      log: (message, level = 'info') => this.push(id, { type: 'log', level, message }),
    }
    try {
      controller.signal.throwIfAborted()
      const result = await req.run(ctx)
      controller.signal.throwIfAborted()
      const seq = this.nextSeq(id)
      this.repo.setResult(id, result, seq)
      this.emit({ jobId: id, seq, at: this.now(), type: 'result', result })
      this.pushState(id, 'succeeded')
    } catch (err) {
      if (controller.signal.aborted) {
        this.pushState(id, 'cancelled')
      } else {
        const error = toErrorInfo(err)
        const seq = this.nextSeq(id)
        this.repo.setError(id, error, seq)
        this.emit({ jobId: id, seq, at: this.now(), type: 'error', error })
        this.pushState(id, 'failed')
      }
    } finally {
      this.active = null
      this.seqs.delete(id)
    }
  }

  private pushProgress(active: Active, u: ProgressUpdate): void {
    if (active.controller.signal.aborted || this.active !== active) return
    const t = this.now()
    const last = u.total !== null && u.step >= u.total
    if (!last && u.phase === active.lastPhase && t - active.lastEmit < PROGRESS_INTERVAL_MS) return
    active.lastEmit = t
    active.lastPhase = u.phase
    const progress: Progress = { phase: u.phase, step: u.step, total: u.total, elapsedMs: t - active.startedAt }
    const seq = this.nextSeq(active.id)
    this.repo.setProgress(active.id, progress, seq)
    this.emit({ jobId: active.id, seq, at: t, type: 'progress', progress })
  }

  private push(id: string, e: { type: 'log'; level: 'info' | 'warn'; message: string }): void {
    const seq = this.nextSeq(id)
    this.repo.setSeq(id, seq)
    this.emit({ jobId: id, seq, at: this.now(), ...e })
  }

  private pushState(id: string, state: JobState): void {
    const seq = this.nextSeq(id)
    const at = this.now()
    this.repo.setState(id, state, seq, at)
    this.emit({ jobId: id, seq, at, type: 'state', state })
  }

  private nextSeq(id: string): number {
    const seq = (this.seqs.get(id) ?? 0) + 1
    this.seqs.set(id, seq)
    return seq
  }
}
