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
  {
    version: 3,
    name: 'experiments-points-gallery',
    sql: `
      CREATE TABLE experiments (
        id TEXT PRIMARY KEY,
        number INTEGER NOT NULL UNIQUE,
        model_id TEXT REFERENCES models(id) ON DELETE SET NULL,
        name TEXT NOT NULL,
        spec TEXT NOT NULL,
        params TEXT NOT NULL,
        gallery TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running','succeeded','failed','cancelled','interrupted')),
        provider TEXT,
        timings TEXT NOT NULL DEFAULT '{}',
        artifact_path TEXT,
        error TEXT,
        job_id TEXT,
        point_counts TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        finished_at INTEGER
      );
      CREATE TABLE points (
        id INTEGER PRIMARY KEY,
        experiment_id TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        prompt TEXT NOT NULL,
        concept INTEGER NOT NULL,
        distance REAL NOT NULL,
        cosine REAL NOT NULL,
        x REAL NOT NULL,
        y REAL NOT NULL,
        vector BLOB NOT NULL
      );
      CREATE INDEX points_by_experiment ON points(experiment_id);
      ALTER TABLE images ADD COLUMN edit_experiment_id TEXT REFERENCES experiments(id) ON DELETE CASCADE;
      CREATE TABLE gallery (
        experiment_id TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        grp TEXT NOT NULL,
        role TEXT NOT NULL,
        prompt TEXT NOT NULL,
        seed INTEGER NOT NULL,
        PRIMARY KEY (experiment_id, grp, role, prompt, seed)
      );
    `,
  },
  {
    version: 4,
    name: 'exports',
    sql: `
      CREATE TABLE exports (
        id TEXT PRIMARY KEY,
        experiment_id TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        format TEXT NOT NULL,
        rank INTEGER,
        dtype TEXT NOT NULL,
        path TEXT NOT NULL,
        layers TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX exports_by_experiment ON exports(experiment_id, created_at);
    `,
  },
  {
    version: 5,
    name: 'lora-stage',
    sql: `
      ALTER TABLE experiments ADD COLUMN loss_curve TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE experiments ADD COLUMN lora_path TEXT;
      ALTER TABLE experiments ADD COLUMN eval_curve TEXT NOT NULL DEFAULT '[]';
    `,
  },
  {
    version: 6,
    name: 'metrics',
    sql: `
      ALTER TABLE experiments ADD COLUMN metrics TEXT;
    `,
  },
]
