import type { Experiment, ExperimentMetrics, GalleryImage, Point } from '../../../shared/contract'
import type { Db } from '../connection'

interface Raw {
  id: string
  number: number
  model_id: string | null
  name: string
  spec: string
  params: string
  gallery: string
  status: string
  provider: string | null
  timings: string
  artifact_path: string | null
  error: string | null
  job_id: string | null
  point_counts: string
  loss_curve: string
  eval_curve: string
  lora_path: string | null
  metrics: string | null
  created_at: number
  finished_at: number | null
}

const toExperiment = (projectId: string, r: Raw): Experiment => ({
  id: r.id,
  number: r.number,
  projectId,
  modelId: r.model_id,
  name: r.name,
  spec: JSON.parse(r.spec) as Experiment['spec'],
  params: JSON.parse(r.params) as Experiment['params'],
  gallery: JSON.parse(r.gallery) as Experiment['gallery'],
  status: r.status as Experiment['status'],
  provider: r.provider,
  timings: JSON.parse(r.timings) as Record<string, number>,
  artifactPath: r.artifact_path,
  error: r.error,
  jobId: r.job_id,
  pointCounts: JSON.parse(r.point_counts) as Record<string, number>,
  lossCurve: JSON.parse(r.loss_curve) as number[],
  evalCurve: JSON.parse(r.eval_curve) as [number, number][],
  loraPath: r.lora_path,
  metrics: r.metrics === null ? null : (JSON.parse(r.metrics) as ExperimentMetrics),
  createdAt: r.created_at,
  finishedAt: r.finished_at,
})

export interface NewExperiment {
  readonly id: string
  readonly modelId: string
  readonly name: string
  readonly spec: Experiment['spec']
  readonly params: Experiment['params']
  readonly gallery: Experiment['gallery']
  readonly jobId: string | null
  readonly createdAt: number
}

export interface StoredPoint extends Point {
  readonly vector: Float32Array
}

/** Experiments, their sampled points and their gallery links, in the project's database. */
export class ExperimentsRepo {
  constructor(
    private readonly db: Db,
    private readonly projectId: string,
  ) {}

  /** Inserts a running experiment with the next free number. */
  create(e: NewExperiment): Experiment {
    this.db.transaction(() => {
      const next = (this.db.prepare('SELECT COALESCE(MAX(number), 0) + 1 AS n FROM experiments').get() as { n: number }).n
      this.db
        .prepare(
          `INSERT INTO experiments (id, number, model_id, name, spec, params, gallery, status, job_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
        )
        .run(e.id, next, e.modelId, e.name || `Experiment ${next}`, JSON.stringify(e.spec), JSON.stringify(e.params), JSON.stringify(e.gallery), e.jobId, e.createdAt)
    })()
    return this.get(e.id)!
  }

  get(id: string): Experiment | undefined {
    const r = this.db.prepare('SELECT * FROM experiments WHERE id = ?').get(id) as Raw | undefined
    return r && toExperiment(this.projectId, r)
  }

  list(): Experiment[] {
    return (this.db.prepare('SELECT * FROM experiments ORDER BY number DESC').all() as Raw[]).map((r) => toExperiment(this.projectId, r))
  }

  /** Stage 1's outputs land together: the artifact path, the points, their counts. */
  saveStage1(id: string, artifactPath: string, points: readonly StoredPoint[], provider: string): void {
    const counts: Record<string, number> = {}
    for (const p of points) counts[p.kind] = (counts[p.kind] ?? 0) + 1
    const insert = this.db.prepare(
      'INSERT INTO points (experiment_id, kind, prompt, concept, distance, cosine, x, y, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM points WHERE experiment_id = ?').run(id)
      for (const p of points) {
        insert.run(id, p.kind, p.prompt, p.concept, p.distance, p.cosine, p.x, p.y, Buffer.from(p.vector.buffer, p.vector.byteOffset, p.vector.byteLength))
      }
      this.db
        .prepare('UPDATE experiments SET artifact_path = ?, point_counts = ?, provider = ? WHERE id = ?')
        .run(artifactPath, JSON.stringify(counts), provider, id)
    })()
  }

  /** The LoRA stage's loss curve so far (written as training goes, so a crash keeps it). */
  setLoss(id: string, losses: readonly number[], loraPath: string | null): void {
    this.db.prepare('UPDATE experiments SET loss_curve = ?, lora_path = COALESCE(?, lora_path) WHERE id = ?').run(JSON.stringify(losses), loraPath, id)
  }

  setEvals(id: string, evals: readonly (readonly [number, number])[]): void {
    this.db.prepare('UPDATE experiments SET eval_curve = ? WHERE id = ?').run(JSON.stringify(evals), id)
  }

  /** Stores (or replaces) the experiment's evaluation. */
  setMetrics(id: string, metrics: ExperimentMetrics): void {
    this.db.prepare('UPDATE experiments SET metrics = ? WHERE id = ?').run(JSON.stringify(metrics), id)
  }

  /** A cancelled or interrupted experiment runs again (resume). */
  reopen(id: string, jobId: string): void {
    this.db.prepare("UPDATE experiments SET status = 'running', error = NULL, finished_at = NULL, job_id = ? WHERE id = ?").run(jobId, id)
  }

  setTimings(id: string, timings: Record<string, number>): void {
    this.db.prepare('UPDATE experiments SET timings = ? WHERE id = ?').run(JSON.stringify(timings), id)
  }

  finish(id: string, status: 'succeeded' | 'failed' | 'cancelled', error: string | null, at: number): void {
    this.db.prepare('UPDATE experiments SET status = ?, error = ?, finished_at = ? WHERE id = ?').run(status, error, at, id)
  }

  /** Experiments a dead process left running. */
  markInterrupted(at: number): void {
    this.db.prepare("UPDATE experiments SET status = 'interrupted', finished_at = ? WHERE status = 'running'").run(at)
  }

  points(id: string): Point[] {
    return this.db
      .prepare('SELECT kind, prompt, concept, distance, cosine, x, y FROM points WHERE experiment_id = ? ORDER BY id')
      .all(id) as Point[]
  }

  pointVectors(id: string): StoredPoint[] {
    const rows = this.db.prepare('SELECT kind, prompt, concept, distance, cosine, x, y, vector FROM points WHERE experiment_id = ? ORDER BY id').all(id) as (Point & { vector: Buffer })[]
    return rows.map((r) => ({ ...r, vector: new Float32Array(r.vector.buffer.slice(r.vector.byteOffset, r.vector.byteOffset + r.vector.byteLength)) }))
  }

  addGallery(id: string, item: Omit<GalleryImage, 'id' | 'path'> & { imageId: string }): void {
    this.db
      .prepare('INSERT OR REPLACE INTO gallery (experiment_id, image_id, grp, role, prompt, seed) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, item.imageId, item.group, item.role, item.prompt, item.seed)
  }

  gallery(id: string): GalleryImage[] {
    return this.db
      .prepare(
        `SELECT i.id AS id, g.grp AS "group", g.role AS role, g.prompt AS prompt, g.seed AS seed, i.path AS path
         FROM gallery g JOIN images i ON i.id = g.image_id WHERE g.experiment_id = ? ORDER BY g.rowid`,
      )
      .all(id) as GalleryImage[]
  }

  /** Paths of images only this experiment's edit produced (deleted with it). */
  ownImagePaths(id: string): string[] {
    return (this.db.prepare('SELECT path FROM images WHERE edit_experiment_id = ?').all(id) as { path: string }[]).map((r) => r.path)
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM experiments WHERE id = ?').run(id)
  }
}
