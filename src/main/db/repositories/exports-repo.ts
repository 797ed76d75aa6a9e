import type { ExportRecord } from '../../../shared/contract'
import type { Db } from '../connection'

interface Raw {
  id: string
  experiment_id: string
  format: string
  rank: number | null
  dtype: string
  path: string
  layers: string
  sha256: string
  bytes: number
  created_at: number
}

const toRecord = (r: Raw): ExportRecord => ({
  id: r.id,
  experimentId: r.experiment_id,
  format: r.format as ExportRecord['format'],
  rank: r.rank,
  dtype: r.dtype as ExportRecord['dtype'],
  path: r.path,
  layers: JSON.parse(r.layers) as ExportRecord['layers'],
  sha256: r.sha256,
  bytes: r.bytes,
  createdAt: r.created_at,
})

/** Every file the studio exported: where, in which format, with which per-layer errors. */
export class ExportsRepo {
  constructor(private readonly db: Db) {}

  insert(r: ExportRecord): void {
    this.db
      .prepare('INSERT INTO exports (id, experiment_id, format, rank, dtype, path, layers, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(r.id, r.experimentId, r.format, r.rank, r.dtype, r.path, JSON.stringify(r.layers), r.sha256, r.bytes, r.createdAt)
  }

  list(experimentId?: string): ExportRecord[] {
    const rows = (
      experimentId === undefined
        ? this.db.prepare('SELECT * FROM exports ORDER BY created_at DESC').all()
        : this.db.prepare('SELECT * FROM exports WHERE experiment_id = ? ORDER BY created_at DESC').all(experimentId)
    ) as Raw[]
    return rows.map(toRecord)
  }
}
