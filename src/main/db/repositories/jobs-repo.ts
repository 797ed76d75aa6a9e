import type { ErrorInfo } from '../../../shared/errors'
import type { JobKind, JobSnapshot, JobState, Progress } from '../../../shared/contract'
import type { Db } from '../connection'

interface RawJob {
  id: string
  kind: string
  project_id: string | null
  title: string
  state: string
  params: string
  progress: string | null
  result: string | null
  error: string | null
  last_seq: number
  created_at: number
  started_at: number | null
  ended_at: number | null
}

const parse = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T))

const toSnapshot = (r: RawJob): JobSnapshot => ({
  id: r.id,
  kind: r.kind as JobKind,
  projectId: r.project_id,
  title: r.title,
  state: r.state as JobState,
  progress: parse<Progress>(r.progress),
  result: parse<unknown>(r.result),
  error: parse<ErrorInfo>(r.error),
  lastSeq: r.last_seq,
  createdAt: r.created_at,
  startedAt: r.started_at,
  endedAt: r.ended_at,
})

export interface NewJob {
  readonly id: string
  readonly kind: JobKind
  readonly projectId: string | null
  readonly title: string
  readonly params: unknown
  readonly createdAt: number
}

/** Persisted job rows: the job service writes every state change here before announcing it. */
export class JobsRepo {
  constructor(private readonly db: Db) {}

  insert(job: NewJob): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, project_id, title, state, params, created_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?)`,
      )
      .run(job.id, job.kind, job.projectId, job.title, JSON.stringify(job.params), job.createdAt)
  }

  get(id: string): JobSnapshot | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as RawJob | undefined
    return row && toSnapshot(row)
  }

  params(id: string): unknown {
    const row = this.db.prepare('SELECT params FROM jobs WHERE id = ?').get(id) as
      | { params: string }
      | undefined
    return row ? (JSON.parse(row.params) as unknown) : undefined
  }

  list(projectId?: string, limit = 200): JobSnapshot[] {
    const rows = (
      projectId === undefined
        ? this.db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit)
        : this.db
            .prepare('SELECT * FROM jobs WHERE project_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?')
            .all(projectId, limit)
    ) as RawJob[]
    return rows.map(toSnapshot)
  }

  setState(id: string, state: JobState, seq: number, at: number): void {
    const started = state === 'running' ? at : null
    const ended = state === 'queued' || state === 'running' ? null : at
    this.db
      .prepare(
        `UPDATE jobs SET state = ?, last_seq = ?,
           started_at = COALESCE(?, started_at), ended_at = COALESCE(?, ended_at)
         WHERE id = ?`,
      )
      .run(state, seq, started, ended, id)
  }

  setProgress(id: string, progress: Progress, seq: number): void {
    this.db
      .prepare('UPDATE jobs SET progress = ?, last_seq = ? WHERE id = ?')
      .run(JSON.stringify(progress), seq, id)
  }

  setSeq(id: string, seq: number): void {
    this.db.prepare('UPDATE jobs SET last_seq = ? WHERE id = ?').run(seq, id)
  }

  setResult(id: string, result: unknown, seq: number): void {
    this.db
      .prepare('UPDATE jobs SET result = ?, last_seq = ? WHERE id = ?')
      .run(JSON.stringify(result ?? null), seq, id)
  }

  setError(id: string, error: ErrorInfo, seq: number): void {
    this.db
      .prepare('UPDATE jobs SET error = ?, last_seq = ? WHERE id = ?')
      .run(JSON.stringify(error), seq, id)
  }

  /** After a host restart: nothing can still be running, so mark those rows interrupted. */
  markInterrupted(at: number): number {
    return this.db
      .prepare(
        `UPDATE jobs SET state = 'interrupted', ended_at = ?, last_seq = last_seq + 1
         WHERE state IN ('queued', 'running')`,
      )
      .run(at).changes
  }
}
