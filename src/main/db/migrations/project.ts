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
]
