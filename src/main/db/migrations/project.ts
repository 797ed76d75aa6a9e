import type { Migration } from './types'

/**
 * One database per project (`<project>/realera.sqlite`), so a project folder can be copied,
 * shared and compared offline as a unit. Rows hold paths relative to the project folder.
 * Models, experiments, points, images, metrics and exports arrive as later migrations.
 */
export const projectMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'project-meta',
    sql: `
      CREATE TABLE project_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'models-images',
    sql: `
      CREATE TABLE models (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        dir TEXT NOT NULL UNIQUE,
        facts TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE images (
        id TEXT PRIMARY KEY,
        model_id TEXT REFERENCES models(id) ON DELETE SET NULL,
        path TEXT NOT NULL UNIQUE,
        params TEXT NOT NULL,
        provider TEXT NOT NULL,
        duration_ms REAL NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX images_by_model ON images(model_id, created_at);
    `,
  },
]
