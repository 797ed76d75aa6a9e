import type { ModelFactsInfo } from '../../../shared/contract'
import type { Db } from '../connection'

export interface ModelRow {
  readonly id: string
  readonly name: string
  /** Relative to the project folder when inside it, absolute otherwise. */
  readonly dir: string
  readonly facts: ModelFactsInfo
  readonly createdAt: number
}

interface Raw {
  id: string
  name: string
  dir: string
  facts: string
  created_at: number
}

const toRow = (r: Raw): ModelRow => ({
  id: r.id,
  name: r.name,
  dir: r.dir,
  facts: JSON.parse(r.facts) as ModelFactsInfo,
  createdAt: r.created_at,
})

/** Models registered in one project (the weights stay where the user keeps them). */
export class ModelsRepo {
  constructor(private readonly db: Db) {}

  list(): ModelRow[] {
    return (this.db.prepare('SELECT * FROM models ORDER BY created_at, rowid').all() as Raw[]).map(toRow)
  }

  get(id: string): ModelRow | undefined {
    const r = this.db.prepare('SELECT * FROM models WHERE id = ?').get(id) as Raw | undefined
    return r && toRow(r)
  }

  findByDir(dir: string): ModelRow | undefined {
    const r = this.db.prepare('SELECT * FROM models WHERE dir = ?').get(dir) as Raw | undefined
    return r && toRow(r)
  }

  insert(row: ModelRow): void {
    this.db
      .prepare('INSERT INTO models (id, name, dir, facts, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(row.id, row.name, row.dir, JSON.stringify(row.facts), row.createdAt)
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM models WHERE id = ?').run(id)
  }
}
