import path from 'node:path'
import type { Db } from '../db/connection'
import { openDatabase } from '../db/connection'
import { projectMigrations } from '../db/migrations/project'

export const PROJECT_DB_FILE = 'realera.sqlite'

/**
 * Opens each project's own database on first use and keeps the connection: the engine host is
 * the only process that touches these files.
 */
export class ProjectStore {
  private readonly open = new Map<string, Db>()

  db(projectDir: string): Db {
    const key = path.resolve(projectDir)
    let db = this.open.get(key)
    if (!db) {
      db = openDatabase(path.join(key, PROJECT_DB_FILE), projectMigrations)
      // This process is the only writer: anything still marked running was left by a dead one.
      db.prepare("UPDATE experiments SET status = 'interrupted', finished_at = ? WHERE status = 'running'").run(Date.now())
      this.open.set(key, db)
    }
    return db
  }

  /** Creates the database of a new project and writes its identity into it. */
  initialise(projectDir: string, meta: { id: string; name: string; createdAt: number }): void {
    const db = this.db(projectDir)
    const put = db.prepare(
      'INSERT INTO project_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    )
    db.transaction(() => {
      put.run('id', meta.id)
      put.run('name', meta.name)
      put.run('created_at', String(meta.createdAt))
    })()
  }

  setName(projectDir: string, name: string): void {
    this.db(projectDir)
      .prepare("UPDATE project_meta SET value = ? WHERE key = 'name'")
      .run(name)
  }

  close(projectDir: string): void {
    const key = path.resolve(projectDir)
    this.open.get(key)?.close()
    this.open.delete(key)
  }

  closeAll(): void {
    for (const db of this.open.values()) db.close()
    this.open.clear()
  }
}
