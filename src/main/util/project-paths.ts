import path from 'node:path'

/** Rows store paths relative to the project folder when the file is inside it. */
export function toStoredPath(projectDir: string, target: string): string {
  const rel = path.relative(path.resolve(projectDir), path.resolve(target))
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : path.resolve(target)
}

export function fromStoredPath(projectDir: string, stored: string): string {
  return path.isAbsolute(stored) ? stored : path.join(projectDir, ...stored.split('/'))
}
