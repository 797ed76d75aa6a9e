// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { writeTinyPipeline } from '../../../src/main/engine/tiny'
import type { Model, Project } from '../../../src/shared/contract'
import { App } from '../../../src/renderer/src/app/app'
import { formatBytes } from '../../../src/renderer/src/components/format-bytes'
import { totalBytes } from '../../../src/renderer/src/features/models/model'
import type { InProcessStudio } from './helpers/in-process-studio'
import { startInProcessStudio } from './helpers/in-process-studio'

let models: string
let tinyDir: string
let notAModel: string
let studio: InProcessStudio
let project: Project

beforeAll(async () => {
  models = mkdtempSync(path.join(os.tmpdir(), 'realera-models-'))
  tinyDir = path.join(models, 'tiny-sd1')
  await writeTinyPipeline(tinyDir, { variant: 'sd1', seed: 1 })
  notAModel = path.join(models, 'holiday-photos')
  mkdirSync(notAModel)
  writeFileSync(path.join(notAModel, 'readme.txt'), 'not a model')
})
afterAll(() => rmSync(models, { recursive: true, force: true }))

beforeEach(async () => {
  studio = startInProcessStudio()
  project = await studio.client.invoke('projects.create', { name: 'Erasures' })
})
afterEach(async () => {
  cleanup()
  await studio.services.jobs.idle()
  await studio.close()
})

/** Registers the tiny model for real: the register-model job loads it with ONNX Runtime. */
async function registerTiny(name?: string): Promise<Model> {
  const job = await studio.client.invoke('jobs.start', {
    kind: 'register-model',
    projectId: project.id,
    dir: tinyDir,
    ...(name ? { name } : {}),
  })
  await studio.services.jobs.idle()
  const done = studio.services.jobs.get(job.id)
  expect(done.state).toBe('succeeded')
  return done.result as Model
}

/** The card's definition list as { term: description }. */
const factsOf = (card: HTMLElement): Record<string, string> =>
  Object.fromEntries(
    Array.from(card.querySelectorAll('dt')).map((dt) => [
      dt.textContent ?? '',
      dt.nextElementSibling?.textContent ?? '',
    ]),
  )

const renderProject = (): void => {
  render(
    <App
      client={studio.client}
      mediaQuery=""
      initialRoute={{ page: 'project', projectId: project.id }}
    />,
  )
}

describe('models section against the real host handlers', () => {
  it('lists a registered model with its facts', async () => {
    const model = await registerTiny('Tiny SD')
    renderProject()
    const card = await screen.findByRole('article', { name: 'Tiny SD' })
    expect(factsOf(card)).toEqual({
      Architecture: 'Custom · 32-wide text context',
      'Cross-attention': '6 layers',
      Weights: 'float32',
      Timestep: 'int64, one per batch item',
      Prediction: 'Noise (epsilon)',
      Size: formatBytes(totalBytes(model.facts)),
    })
    expect(within(card).getByText(tinyDir)).toBeTruthy()
    expect(within(card).queryByText(/Folder missing/)).toBeNull()
  })

  it("registers through the dialog and shows the host's reason for a folder that is no model", async () => {
    renderProject()
    fireEvent.click(await screen.findByRole('button', { name: 'Register model' }))
    const dialog = await screen.findByRole('dialog', { name: 'Register model' })
    expect(within(dialog).getByText(/Type the folder path/)).toBeTruthy()
    const folder = within(dialog).getByLabelText('Model folder')
    fireEvent.change(folder, { target: { value: notAModel } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Register model' }))
    const alert = await within(dialog).findByRole('alert')
    expect(alert.textContent).toContain('has no model_index.json')

    fireEvent.change(folder, { target: { value: tinyDir } })
    fireEvent.change(within(dialog).getByLabelText('Display name (optional)'), {
      target: { value: 'From the dialog' },
    })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Register model' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(await screen.findByRole('article', { name: 'From the dialog' })).toBeTruthy()
  })

  it('removes a model after confirmation and leaves its files alone', async () => {
    await registerTiny()
    renderProject()
    fireEvent.click(await screen.findByRole('button', { name: 'Remove tiny-sd1' }))
    const dialog = await screen.findByRole('dialog', { name: 'Remove “tiny-sd1”?' })
    expect(within(dialog).getByText(/Its files on disk are not touched/)).toBeTruthy()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove model' }))
    expect(await screen.findByText('No models yet')).toBeTruthy()
    expect(existsSync(path.join(tinyDir, 'unet', 'model.onnx'))).toBe(true)
    expect(await studio.client.invoke('models.list', { projectId: project.id })).toEqual([])
  })

  it('opens the generate page from a model card', async () => {
    await registerTiny()
    renderProject()
    fireEvent.click(await screen.findByRole('button', { name: 'Generate with tiny-sd1' }))
    expect(await screen.findByRole('heading', { level: 1, name: 'Generate' })).toBeTruthy()
    expect(await screen.findByText('No images yet')).toBeTruthy()
  })
})
