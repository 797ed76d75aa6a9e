import { randomUUID } from 'node:crypto'
import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import type { CreateProject, Project } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import type { ProjectRow, ProjectsRepo } from '../db/repositories/projects-repo'
import type { ProjectStore } from './project-store'
import { ensureWritableFolder } from '../util/writable-folder'

const toProject = (row: ProjectRow): Project => ({ ...row, missing: !existsSync(row.dir) })

/**
 * Projects: a catalog row in the app database plus a folder with its own database. Creation
 * checks everything it can before touching the disk, and undoes what it made if a later step
 * fails, so a failure never leaves half a project behind.
 */
export class ProjectsService {
  constructor(
    private readonly repo: ProjectsRepo,
    private readonly store: ProjectStore,
    private readonly defaultParentDir: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Project[] {
    return this.repo.list().map(toProject)
  }

  get(id: string): Project {
    const row = this.repo.get(id)
    if (!row) throw new StudioError('not-found', `No project with id ${id}. It may have been deleted; reload the list.`)
    return toProject(row)
  }

  async create(input: CreateProject): Promise<Project> {
    const name = input.name.trim()
    if (this.repo.findByName(name)) {
      throw new StudioError('conflict', `A project named "${name}" already exists. Choose another name.`)
    }
    const parent = path.resolve(input.parentDir ?? this.defaultParentDir())
    const dir = path.join(parent, name)
    await ensureWritableFolder(parent)
    if (existsSync(dir) && (await fs.readdir(dir)).length > 0) {
      throw new StudioError('conflict', `The folder ${dir} already exists and is not empty. Choose another name or location.`)
    }
    const createdDir = !existsSync(dir)
    const row: ProjectRow = { id: randomUUID(), name, dir, createdAt: this.now(), openedAt: null }
    try {
      await fs.mkdir(dir, { recursive: true })
      this.store.initialise(dir, { id: row.id, name, createdAt: row.createdAt })
      this.repo.insert(row)
    } catch (err) {
      this.store.close(dir)
      if (createdDir) await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined)
      else await removeDbFiles(dir)
      throw err instanceof StudioError
        ? err
        : new StudioError('not-writable', `Could not create the project in ${dir}: ${(err as Error).message}`)
    }
    return toProject(row)
  }

  rename(id: string, name: string): Project {
    const row = this.get(id)
    const clash = this.repo.findByName(name.trim())
    if (clash && clash.id !== id) {
      throw new StudioError('conflict', `A project named "${name.trim()}" already exists. Choose another name.`)
    }
    if (!row.missing) this.store.setName(row.dir, name.trim())
    this.repo.rename(id, name.trim())
    return this.get(id)
  }

  open(id: string): Project {
    const row = this.get(id)
    if (row.missing) {
      throw new StudioError('not-found', `The folder of project "${row.name}" is missing (${row.dir}). Move it back, or delete the project from the list.`)
    }
    this.store.db(row.dir)
    this.repo.touch(id, this.now())
    return this.get(id)
  }

  async delete(id: string, deleteFiles: boolean): Promise<{ id: string; filesDeleted: boolean }> {
    const row = this.get(id)
    this.store.close(row.dir)
    this.repo.remove(id)
    if (deleteFiles && !row.missing) {
      await fs.rm(row.dir, { recursive: true, force: true })
      return { id, filesDeleted: true }
    }
    return { id, filesDeleted: false }
  }

}

async function removeDbFiles(dir: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) {
    await fs.rm(path.join(dir, `realera.sqlite${suffix}`), { force: true }).catch(() => undefined)
  }
}
