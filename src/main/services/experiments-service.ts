import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { Experiment, GalleryImage, Point, Project } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import { ExperimentsRepo } from '../db/repositories/experiments-repo'
import type { ProjectStore } from './project-store'

/** Reading and deleting experiments; running one is the erase service's job. */
export class ExperimentsService {
  constructor(private readonly store: ProjectStore) {}

  repo(project: Project): ExperimentsRepo {
    return new ExperimentsRepo(this.store.db(project.dir), project.id)
  }

  list(project: Project): Experiment[] {
    return this.repo(project).list()
  }

  get(project: Project, id: string): { experiment: Experiment; gallery: GalleryImage[] } {
    const repo = this.repo(project)
    const experiment = repo.get(id)
    if (!experiment) throw new StudioError('not-found', `No experiment ${id} in project "${project.name}".`)
    return { experiment, gallery: repo.gallery(id) }
  }

  points(project: Project, id: string): Point[] {
    this.get(project, id)
    return this.repo(project).points(id)
  }

  /** Deletes the row (points and gallery links cascade), its own images and its artifact folder. */
  delete(project: Project, id: string): { experimentId: string } {
    const { experiment } = this.get(project, id)
    if (experiment.status === 'running') {
      throw new StudioError('conflict', `Experiment ${experiment.number} is still running; cancel it first.`)
    }
    const repo = this.repo(project)
    const files = repo.ownImagePaths(id)
    repo.remove(id)
    for (const f of files) rmSync(path.join(project.dir, f), { force: true })
    const folder = path.join(project.dir, 'experiments', String(experiment.number))
    if (existsSync(folder)) rmSync(folder, { recursive: true, force: true })
    return { experimentId: id }
  }
}
