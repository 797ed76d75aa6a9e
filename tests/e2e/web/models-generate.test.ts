import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTinyPipeline } from '../../../src/main/engine/tiny'
import type { ImageInfo, Project } from '../../../src/shared/contract'
import type { StudioWeb } from '../../helpers/studio-web'
import { startStudioWeb } from '../../helpers/studio-web'

const ARTIFACTS = path.resolve('test-artifacts/e2e')

let web: StudioWeb
let page: Page
let root: string
let tinyDir: string
let notAModel: string

/** Screenshots wait for MUI's transitions (dialogs, chips: at most 300 ms) to end. */
const shot = async (name: string): Promise<void> => {
  await page.waitForTimeout(350)
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) })
}

/** The DOM members these checks read (the node tsconfig has no DOM types). */
interface ImageLike {
  readonly complete: boolean
  readonly naturalWidth: number
  readonly ownerDocument: {
    readonly defaultView: { getComputedStyle(el: ImageLike): { imageRendering: string } } | null
  }
}

/** 0 until the image has loaded, then its decoded width. */
const naturalWidth = (img: Locator): Promise<number> =>
  img.evaluate((el: ImageLike) => (el.complete ? el.naturalWidth : 0))

const imageRendering = (img: Locator): Promise<string | undefined> =>
  img.evaluate((el: ImageLike) => el.ownerDocument.defaultView?.getComputedStyle(el).imageRendering)

async function projectImages(): Promise<ImageInfo[]> {
  const list = await web.host.request('projects.list', {})
  if (!list.ok) throw new Error(list.error.message)
  const project = (list.value as Project[]).find((p) => p.name === 'Fox studies')
  if (!project) throw new Error('project missing')
  const images = await web.host.request('images.list', { projectId: project.id })
  if (!images.ok) throw new Error(images.error.message)
  return images.value as ImageInfo[]
}

const pngFiles = (): string[] =>
  readdirSync(path.join(web.projectsDir, 'Fox studies', 'images')).filter((f) => f.endsWith('.png'))

async function setField(label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value)
}

describe('models and generation in a browser, against the real host over the bridge', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    root = mkdtempSync(path.join(os.tmpdir(), 'realera-e2e-models-'))
    tinyDir = path.join(root, 'tiny-sd1')
    await writeTinyPipeline(tinyDir, { variant: 'sd1', seed: 1 })
    notAModel = path.join(root, 'holiday-photos')
    mkdirSync(notAModel)
    writeFileSync(path.join(notAModel, 'beach.txt'), 'not a model')
    web = await startStudioWeb({ colorScheme: 'light' })
    page = web.page
    page.setDefaultTimeout(15_000)
  })

  afterAll(async () => {
    await web?.close()
    if (root) rmSync(root, { recursive: true, force: true })
  })

  it('registers a model by typing its folder, and explains a folder that is no model', async () => {
    await page.goto(web.url)
    await page.getByRole('button', { name: 'New project' }).first().click()
    const create = page.getByRole('dialog', { name: 'New project' })
    await create.getByLabel('Project name').fill('Fox studies')
    await create.getByRole('button', { name: 'Create project' }).click()
    await page.getByRole('button', { name: 'Open Fox studies' }).click()
    await page.getByRole('heading', { level: 1, name: 'Fox studies' }).waitFor()
    await page.getByText('No models yet').waitFor()
    await shot('mg-01-project-no-models')

    await page.getByRole('button', { name: 'Register model' }).click()
    const dialog = page.getByRole('dialog', { name: 'Register model' })
    await dialog.getByText(/Type the folder path/).waitFor()
    await dialog.getByLabel('Model folder').fill(notAModel)
    await dialog.getByRole('button', { name: 'Register model' }).click()
    await dialog
      .getByRole('alert')
      .filter({ hasText: `${notAModel} has no model_index.json` })
      .waitFor()
    await shot('mg-02-register-not-a-model')

    await dialog.getByLabel('Model folder').fill(tinyDir)
    await dialog.getByLabel('Display name (optional)').fill('Tiny SD')
    await dialog.getByRole('button', { name: 'Register model' }).click()
    await dialog.waitFor({ state: 'detached' })
    const card = page.getByRole('article', { name: 'Tiny SD' })
    await card.getByText('Custom · 32-wide text context').waitFor()
    await card.getByText('6 layers').waitFor()
    await card.getByText('Noise (epsilon)').waitFor()
    await card.getByText(/^[\d.]+ MB$/).waitFor()
    await card.getByText(tinyDir).waitFor()
    await shot('mg-03-model-registered')
    expect(web.problems).toEqual([])
  })

  it('generates a 64 × 64 image and shows it in the gallery and the zoom dialog', async () => {
    await page.getByRole('button', { name: 'Generate with Tiny SD' }).click()
    await page.getByRole('heading', { level: 1, name: 'Generate' }).waitFor()
    await page.getByText('No images yet').waitFor()
    await setField('Prompt', 'a tiny red fox in the snow')
    await setField('Width', '60')
    await page.getByText('Width must be a multiple of 8 (latents are 1/8 of the image).').waitFor()
    expect(await page.getByRole('button', { name: 'Generate', exact: true }).isDisabled()).toBe(
      true,
    )
    await shot('mg-04-generate-invalid-width')

    await setField('Width', '64')
    await setField('Height', '64')
    await setField('Steps', '6')
    await setField('Seed', '7')
    await page.getByRole('button', { name: 'Generate', exact: true }).click()
    const status = page.getByRole('region', { name: 'Latest generation' })
    await status.getByText('Succeeded', { exact: true }).waitFor()
    await status.getByText(/^Finished in /).waitFor()

    const tile = page.getByRole('button', { name: 'Open image: a tiny red fox in the snow' })
    await expect.poll(() => naturalWidth(tile.getByRole('img'))).toBe(64)
    await expect.poll(() => naturalWidth(status.getByRole('img'))).toBe(64)
    await page.getByRole('heading', { name: 'Gallery' }).scrollIntoViewIfNeeded()
    await tile.getByText('seed 7 · 6 steps', { exact: true }).waitFor()
    await tile.getByText('PNDM (PLMS) · Tiny SD', { exact: true }).waitFor()
    await shot('mg-05-generated')

    await tile.click()
    const zoom = page.getByRole('dialog', { name: /^Image/ })
    await expect.poll(() => naturalWidth(zoom.getByRole('img'))).toBe(64)
    expect(await imageRendering(zoom.getByRole('img'))).toBe('pixelated')
    await zoom.getByText('64 × 64', { exact: true }).waitFor()
    await zoom.getByText('Tiny SD', { exact: true }).waitFor()
    await shot('mg-06-zoom')
    await zoom.getByRole('button', { name: 'Close', exact: true }).click()
    await zoom.waitFor({ state: 'detached' })
    expect(await projectImages()).toHaveLength(1)
    expect(web.problems).toEqual([])
  })

  it('shows live progress of a long generation, cancels it mid-way, and adds no image', async () => {
    // 500 steps at 128 × 128 take seconds on a CPU; 200 at 64 × 64 can end before Cancel lands.
    await setField('Steps', '500')
    await setField('Width', '128')
    await setField('Height', '128')
    // Euler runs exactly `steps` U-Net steps (PNDM adds warm-up steps to the total).
    await page.getByRole('combobox', { name: 'Scheduler' }).click()
    await page.getByRole('option', { name: 'Euler', exact: true }).click()
    await page.getByRole('button', { name: 'Generate', exact: true }).click()
    const status = page.getByRole('region', { name: 'Latest generation' })
    const bar = status.getByRole('progressbar', { name: 'Generation progress' })
    await status.getByText(/^Denoising · \d+ \/ 500$/).waitFor()
    await status.getByText(/^about \d+ s left$/).waitFor()
    const first = Number(await bar.getAttribute('aria-valuenow'))
    await expect
      .poll(async () => Number(await bar.getAttribute('aria-valuenow')))
      .toBeGreaterThan(first)
    await shot('mg-07-generating')

    await status.getByRole('button', { name: 'Cancel' }).click()
    await status.getByText('Cancelled', { exact: true }).waitFor()
    await status.getByText(/^Cancelled at step \d+ of 500\.$/).waitFor()
    expect(await bar.count()).toBe(0)
    await shot('mg-08-cancelled')

    expect(await page.getByRole('list', { name: 'Images' }).getByRole('listitem').count()).toBe(1)
    expect(await projectImages()).toHaveLength(1)
    expect(pngFiles()).toHaveLength(1)
    expect(web.problems).toEqual([])
  })

  it('looks right in the dark theme', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('button', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Dark' }).click()
    await expect
      .poll(() => page.evaluate('getComputedStyle(document.body).backgroundColor'))
      .toBe('rgb(18, 20, 24)')
    await nav.getByRole('button', { name: 'Projects' }).click()
    await page.getByRole('button', { name: 'Open Fox studies' }).click()
    await page.getByRole('article', { name: 'Tiny SD' }).waitFor()
    await shot('mg-09-project-dark')
    await page.getByRole('button', { name: 'Generate images' }).click()
    const tile = page.getByRole('button', { name: 'Open image: a tiny red fox in the snow' })
    await expect.poll(() => naturalWidth(tile.getByRole('img'))).toBe(64)
    await page.getByRole('heading', { name: 'Gallery' }).scrollIntoViewIfNeeded()
    await shot('mg-10-generate-dark')
    await tile.click()
    await page
      .getByRole('dialog', { name: /^Image/ })
      .getByText('64 × 64', { exact: true })
      .waitFor()
    await shot('mg-11-zoom-dark')
    expect(web.problems).toEqual([])
  })
})
