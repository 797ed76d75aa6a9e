import Database from 'better-sqlite3'
import { StudioError } from '../../shared/errors'
import type { Migration } from './migrations/types'

export type Db = Database.Database

/**
 * Opens a database in WAL mode with foreign keys on and applies the forward-only migrations
 * that it has not seen yet, each in its own transaction, so a crash mid-migration leaves the
 * file at the last complete version.
 */
export function openDatabase(file: string, migrations: readonly Migration[]): Db {
  let db: Db
  try {
    db = new Database(file)
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    throw new StudioError(
      'not-writable',
      `Cannot open the database ${file} (${reason}). Check that the folder exists and is writable.`,
    )
  }
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.pragma('synchronous = NORMAL')
  migrate(db, migrations)
  return db
}

export function migrate(db: Db, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number
  const known = migrations.length
  if (current > known) {
    throw new StudioError(
      'conflict',
      `This database was written by a newer RealEra Studio (schema ${current}, this version knows ${known}). Update the studio to open it.`,
    )
  }
  migrations.forEach((m, index) => {
    if (m.version !== index + 1) throw new Error(`Migration ${m.name} is out of order`)
  })
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
}
