import type { Migration } from './types'

/**
 * The app-level catalog (in the user-data folder): which projects exist where, the jobs this
 * machine ran, and settings. Project content lives in each project's own database.
 */
export const catalogMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'projects-jobs-settings',
    sql: `
      CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        dir TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        opened_at INTEGER
      );
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        project_id TEXT REFERENCES projects(id) ON DELETE SET NULL,
        title TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued','running','succeeded','failed','cancelled','interrupted')),
        params TEXT NOT NULL,
        progress TEXT,
        result TEXT,
        error TEXT,
        last_seq INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        ended_at INTEGER
      );
      CREATE INDEX jobs_by_project ON jobs(project_id, created_at);
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
]
