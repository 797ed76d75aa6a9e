import type { Db } from '../connection'

export interface ProjectRow {
  readonly id: string
  readonly name: string
  readonly dir: string
  readonly createdAt: number
  readonly openedAt: number | null
}

interface RawProject {
  id: string
  name: string
  dir: string
  created_at: number
  opened_at: number | null
}

const toRow = (r: RawProject): ProjectRow => ({
  id: r.id,
  name: r.name,
  dir: r.dir,
  createdAt: r.created_at,
  openedAt: r.opened_at,
})

/** The catalog's list of known projects. */
export class ProjectsRepo {
  constructor(private readonly db: Db) {}

  list(): ProjectRow[] {
    const rows = this.db
      .prepare('SELECT * FROM projects ORDER BY COALESCE(opened_at, created_at) DESC, name')
      .all() as RawProject[]
    return rows.map(toRow)
  }

  get(id: string): ProjectRow | undefined {
    const row = this.db.prepare('SELECT * FROM projects WHERE id = ?').get(id) as RawProject | undefined
    return row && toRow(row)
  }

  findByName(name: string): ProjectRow | undefined {
    const row = this.db.prepare('SELECT * FROM projects WHERE name = ? COLLATE NOCASE').get(name) as
      | RawProject
      | undefined
    return row && toRow(row)
  }

  findByDir(dir: string): ProjectRow | undefined {
    const row = this.db.prepare('SELECT * FROM projects WHERE dir = ?').get(dir) as RawProject | undefined
    return row && toRow(row)
  }

  insert(row: ProjectRow): void {
    this.db
      .prepare(
        'INSERT INTO projects (id, name, dir, created_at, opened_at) VALUES (@id, @name, @dir, @createdAt, @openedAt)',
      )
      .run(row)
  }

  rename(id: string, name: string): void {
    this.db.prepare('UPDATE projects SET name = ? WHERE id = ?').run(name, id)
  }

  touch(id: string, at: number): void {
    this.db.prepare('UPDATE projects SET opened_at = ? WHERE id = ?').run(at, id)
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM projects WHERE id = ?').run(id)
  }
}
