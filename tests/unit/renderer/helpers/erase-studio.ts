import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'vitest'
import { writeTinyPipeline } from '../../../../src/main/engine/tiny'
import type {
  CommandInput,
  Experiment,
  GallerySettings,
  Model,
  Project,
} from '../../../../src/shared/contract'
import type { InProcessStudio } from './in-process-studio'
import { startInProcessStudio } from './in-process-studio'

/** The tiny SD 1.x pipeline, written once per test file. */
export async function writeTinyModel(): Promise<{ dir: string; remove: () => void }> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'realera-experiments-'))
  const dir = path.join(root, 'tiny-sd1')
  await writeTinyPipeline(dir, { variant: 'sd1', seed: 1 })
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) }
}

export interface EraseStudio {
  readonly studio: InProcessStudio
  readonly project: Project
  readonly model: Model
}

/** A fresh in-process studio with a project and the tiny model registered for real. */
export async function startEraseStudio(tinyDir: string): Promise<EraseStudio> {
  const studio = startInProcessStudio()
  const project = await studio.client.invoke('projects.create', { name: 'Erasures' })
  const job = await studio.client.invoke('jobs.start', {
    kind: 'register-model',
    projectId: project.id,
    dir: tinyDir,
  })
  await studio.services.jobs.idle()
  const done = studio.services.jobs.get(job.id)
  expect(done.state).toBe('succeeded')
  return { studio, project, model: done.result as Model }
}

/** A small real erase: M = N = 5, one 64 px seed drawn in 4 steps. */
export function eraseInput(
  s: EraseStudio,
  over: {
    name?: string
    params?: Record<string, unknown>
    gallery?: Partial<GallerySettings>
  } = {},
): CommandInput<'jobs.start'> {
  return {
    kind: 'erase',
    projectId: s.project.id,
    modelId: s.model.id,
    ...(over.name ? { name: over.name } : {}),
    spec: {
      preset: 'artist',
      concepts: [
        { concept: 'van gogh', anchor: 'art', templates: ['a painting in the style of {}'] },
      ],
      preserve: ['Claude Monet'],
      probes: ['The Starry Night'],
    },
    params: { m: 5, n: 5, ...over.params },
    gallery: {
      seeds: [1],
      steps: 4,
      guidance: 7.5,
      scheduler: 'ddim',
      size: 64,
      enabled: true,
      ...over.gallery,
    },
  }
}

/** Runs an erase job to its end and returns the stored experiment. */
export async function runErase(
  s: EraseStudio,
  input: CommandInput<'jobs.start'>,
): Promise<Experiment> {
  const job = await s.studio.client.invoke('jobs.start', input)
  await s.studio.services.jobs.idle()
  const done = s.studio.services.jobs.get(job.id)
  expect(done.error).toBeNull()
  expect(done.state).toBe('succeeded')
  return done.result as Experiment
}
