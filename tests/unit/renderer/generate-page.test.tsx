// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { writeTinyPipeline } from '../../../src/main/engine/tiny'
import type { CommandInput, ImageInfo, Model, Project } from '../../../src/shared/contract'
import { App } from '../../../src/renderer/src/app/app'
import type { InProcessStudio } from './helpers/in-process-studio'
import { startInProcessStudio } from './helpers/in-process-studio'

let root: string
let tinyDir: string
let studio: InProcessStudio
let project: Project
let model: Model

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'realera-generate-'))
  tinyDir = path.join(root, 'tiny-sd1')
  await writeTinyPipeline(tinyDir, { variant: 'sd1', seed: 1 })
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Runs a job for real and returns its result. */
async function runJob<T>(input: CommandInput<'jobs.start'>): Promise<T> {
  const job = await studio.client.invoke('jobs.start', input)
  await studio.services.jobs.idle()
  const done = studio.services.jobs.get(job.id)
  expect(done.state).toBe('succeeded')
  return done.result as T
}

beforeEach(async () => {
  studio = startInProcessStudio()
  project = await studio.client.invoke('projects.create', { name: 'Gallery' })
  model = await runJob<Model>({ kind: 'register-model', projectId: project.id, dir: tinyDir })
})
afterEach(async () => {
  cleanup()
  await studio.services.jobs.idle()
  await studio.close()
})

const params = { prompt: 'a tiny fox', seed: 42, steps: 6, width: 64, height: 64 }

const renderGenerate = (): void => {
  render(
    <App
      client={studio.client}
      mediaQuery="?token=t0k"
      initialRoute={{ page: 'generate', projectId: project.id }}
    />,
  )
}

const field = (label: string): HTMLInputElement => screen.getByLabelText<HTMLInputElement>(label)

describe('generate page against the real host handlers', () => {
  it('shows the gallery by URL, zooms an image, and reuses its settings', async () => {
    const image = await runJob<ImageInfo>({
      kind: 'generate',
      projectId: project.id,
      modelId: model.id,
      params,
    })
    renderGenerate()
    const tile = await screen.findByRole('button', { name: 'Open image: a tiny fox' })
    const img = within(tile).getByRole<HTMLImageElement>('img')
    expect(img.getAttribute('src')).toBe(
      `http://127.0.0.1/media/${project.id}/${image.path}?token=t0k`,
    )
    expect(within(tile).getByText('seed 42 · 6 steps')).toBeTruthy()
    expect(within(tile).getByText('PNDM (PLMS) · tiny-sd1')).toBeTruthy()

    fireEvent.click(tile)
    const dialog = await screen.findByRole('dialog', { name: /Image/ })
    const zoomed = within(dialog).getByRole<HTMLImageElement>('img')
    expect(getComputedStyle(zoomed).imageRendering).toBe('pixelated')
    expect(dialog.textContent).toContain('64 × 64')
    expect(dialog.textContent).toContain(image.path)

    expect(field('Steps').value).toBe('30')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Use these settings' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(field('Prompt').value).toBe('a tiny fox')
    expect(field('Seed').value).toBe('42')
    expect(field('Steps').value).toBe('6')
    expect(field('Width').value).toBe('64')
  })

  it('validates as you type and generates a new image that appears first', async () => {
    renderGenerate()
    expect(await screen.findByText('No images yet')).toBeTruthy()
    const generate = screen.getByRole('button', { name: 'Generate' })
    fireEvent.change(field('Prompt'), { target: { value: 'a red square' } })
    fireEvent.change(field('Width'), { target: { value: '60' } })
    expect(screen.getByText(/Width must be a multiple of 8/)).toBeTruthy()
    expect(generate.hasAttribute('disabled')).toBe(true)
    fireEvent.change(field('Width'), { target: { value: '64' } })
    fireEvent.change(field('Height'), { target: { value: '64' } })
    fireEvent.change(field('Steps'), { target: { value: '6' } })
    expect(generate.hasAttribute('disabled')).toBe(false)

    fireEvent.click(generate)
    const gallery = await screen.findByRole('list', { name: 'Images' }, { timeout: 10_000 })
    expect(within(gallery).getAllByRole('button')).toHaveLength(1)
    const status = screen.getByRole('region', { name: 'Latest generation' })
    await waitFor(() => expect(within(status).getByText('Succeeded')).toBeTruthy())
    const images = await studio.client.invoke('images.list', { projectId: project.id })
    expect(images).toHaveLength(1)
    expect(images[0]?.params).toMatchObject({ prompt: 'a red square', width: 64, steps: 6 })
  })
})
