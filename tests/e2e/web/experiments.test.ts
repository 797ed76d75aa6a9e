import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTinyPipeline } from '../../../src/main/engine/tiny'
import type { StudioWeb } from '../../helpers/studio-web'
import { startStudioWeb } from '../../helpers/studio-web'

const ARTIFACTS = path.resolve('test-artifacts/e2e')
const PROJECT = 'Erasure lab'

let web: StudioWeb
let page: Page
let root: string
let tinyDir: string

/** Screenshots wait for MUI's transitions (dialogs, chips: at most 300 ms) to end. */
const shot = async (name: string): Promise<void> => {
  await page.waitForTimeout(350)
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) })
}

/** The DOM members these checks read (the node tsconfig has no DOM types). */
interface ImageLike {
  readonly complete: boolean
  readonly naturalWidth: number
}
interface StyledLike {
  readonly style: { readonly clipPath: string }
}
interface ScrollLike {
  scrollIntoView(options: { block: string }): void
}

/** Scrolls the page's scroll container so the element sits at `block` of the viewport. */
const reveal = (el: Locator, block: 'start' | 'center' | 'end' = 'center'): Promise<void> =>
  el.evaluate((node: ScrollLike, b) => node.scrollIntoView({ block: b }), block)

/** 0 until the image has loaded, then its decoded width. */
const naturalWidth = (img: Locator): Promise<number> =>
  img.evaluate((el: ImageLike) => (el.complete ? el.naturalWidth : 0))

const field = (label: string): Locator => page.getByLabel(label, { exact: true })

/** A definition list's value for a term. */
const definition = (list: Locator, term: string): Locator =>
  list.locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]')

const stage = (name: string, status: string): Locator =>
  page.getByRole('listitem', { name: `${name}: ${status}` })

describe('RealEra experiments in a browser, against the real host over the bridge', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    root = mkdtempSync(path.join(os.tmpdir(), 'realera-e2e-experiments-'))
    tinyDir = path.join(root, 'tiny-sd1')
    await writeTinyPipeline(tinyDir, { variant: 'sd1', seed: 1 })
    web = await startStudioWeb({ colorScheme: 'light' })
    page = web.page
    page.setDefaultTimeout(15_000)
  })

  afterAll(async () => {
    await web?.close()
    if (root) rmSync(root, { recursive: true, force: true })
  })

  it('runs an artist-preset experiment and shows its stages, parameters and gallery', async () => {
    await page.goto(web.url)
    await page.getByRole('button', { name: 'New project' }).first().click()
    const create = page.getByRole('dialog', { name: 'New project' })
    await create.getByLabel('Project name').fill(PROJECT)
    await create.getByRole('button', { name: 'Create project' }).click()
    await page.getByRole('button', { name: `Open ${PROJECT}` }).click()
    await page.getByText('No experiments yet').waitFor()
    await page.getByRole('button', { name: 'Register model' }).click()
    const register = page.getByRole('dialog', { name: 'Register model' })
    await register.getByLabel('Model folder').fill(tinyDir)
    await register.getByRole('button', { name: 'Register model' }).click()
    await register.waitFor({ state: 'detached' })
    await page.getByRole('article', { name: 'tiny-sd1' }).waitFor()
    await page.getByRole('button', { name: 'New experiment' }).scrollIntoViewIfNeeded()
    await shot('ex-01-project-no-experiments')

    await page.getByRole('button', { name: 'New experiment' }).click()
    await page.getByRole('heading', { level: 1, name: 'New experiment' }).waitFor()
    await page.getByRole('button', { name: 'Artist style' }).click()
    const templates = page.getByRole('list', { name: 'Prompt templates' })
    await templates.getByText('a painting in the style of {}').waitFor()
    expect(await field('Anchor').inputValue()).toBe('art')
    await field('Concept').fill('van gogh')
    await field('M').fill('10')
    await field('N').fill('10')
    await field('Seeds').fill('1')
    await field('Steps').fill('4')
    await field('Size').fill('64')
    const summary = page.getByRole('complementary', { name: 'Run summary' })
    await definition(summary, 'Neighbors').getByText('40 points').waitFor()
    await reveal(page.getByRole('heading', { level: 1, name: 'New experiment' }), 'end')
    await shot('ex-02-new-experiment')
    await reveal(field('M'))
    await shot('ex-02b-new-experiment-parameters')
    await summary.getByRole('button', { name: 'Start experiment' }).click()

    const run = page.getByRole('region', { name: 'Run' })
    await stage('Render gallery', 'running').waitFor()
    await run.getByText(/^Rendering the before\/after gallery · \d+ \/ 18 images$/).waitFor()
    await shot('ex-03-running')
    await stage('Render gallery', 'done').waitFor({ timeout: 60_000 })
    for (const name of ['Load model', 'Encode prompts', 'Mine neighbors', 'Solve closed form']) {
      await stage(name, 'done').waitFor()
    }
    await run.getByText(/^Finished in /).waitFor()
    await run.getByText(/^Closed form: \d+ remapped rows, \d+ preserved rows\.$/).waitFor()
    await page.getByRole('heading', { level: 1, name: 'Erase van gogh' }).waitFor()

    const params = page.getByRole('region', { name: 'Parameters' })
    await definition(params, 'M').getByText('10', { exact: true }).waitFor()
    await definition(params, 'S2').getByText('0.8', { exact: true }).waitFor()
    await definition(params, 'Gallery seeds').getByText('1', { exact: true }).waitFor()
    await definition(params, 'Points')
      .getByText(/40 neighbor/)
      .waitFor()

    const erasure = page.getByRole('list', { name: 'Erasure pairs' })
    const pair = erasure.getByRole('button', {
      name: 'Compare: a painting in the style of van gogh, seed 1',
    })
    await expect.poll(() => naturalWidth(pair.getByAltText(/^Original: /))).toBe(64)
    await expect.poll(() => naturalWidth(pair.getByAltText(/^Erased: /))).toBe(64)
    expect(
      await page.getByRole('list', { name: 'Preserved pairs' }).getByRole('listitem').count(),
    ).toBe(5)
    expect(
      await page
        .getByRole('list', { name: 'Probe (associated) pairs' })
        .getByRole('listitem')
        .count(),
    ).toBe(3)
    await page.getByRole('heading', { name: 'Gallery', exact: true }).scrollIntoViewIfNeeded()
    await shot('ex-04-finished')
    expect(web.problems).toEqual([])
  })

  it('compares a pair with the before/after slider, by keyboard', async () => {
    await page
      .getByRole('button', { name: 'Compare: a painting in the style of van gogh, seed 1' })
      .click()
    const dialog = page.getByRole('dialog', { name: /^Compare/ })
    await expect.poll(() => naturalWidth(dialog.getByAltText(/^Erased: /))).toBe(64)
    const layer = dialog.getByTestId('before-layer')
    const clip = (): Promise<string> => layer.evaluate((el: StyledLike) => el.style.clipPath)
    expect(await clip()).toBe('inset(0px 50% 0px 0px)')
    const slider = dialog.getByRole('slider', { name: 'Split between original and erased' })
    await slider.focus()
    await page.keyboard.press('Shift+ArrowRight')
    await page.keyboard.press('ArrowRight')
    expect(await slider.getAttribute('aria-valuenow')).toBe('61')
    expect(await clip()).toBe('inset(0px 39% 0px 0px)')
    await shot('ex-05-compare-slider')
    await page.keyboard.press('Home')
    expect(await clip()).toBe('inset(0px 100% 0px 0px)')
    await dialog.getByRole('button', { name: 'Next' }).click()
    await dialog.getByText(/2 of 9/).waitFor()
    await dialog.getByRole('button', { name: 'Close', exact: true }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(web.problems).toEqual([])
  })

  it('previews the per-layer error and saves a kohya LoRA', async () => {
    await page.getByRole('button', { name: 'Export…' }).click()
    const dialog = page.getByRole('dialog', { name: /^Export experiment 1/ })
    const table = dialog.getByRole('table', { name: 'Relative error per layer' })
    await expect.poll(() => table.getByRole('row').count()).toBe(13)
    await dialog.getByText(/raise the rank or use full-rank/).waitFor()
    expect(await dialog.getByLabel('Save to').inputValue()).toBe('exports/1-kohya.safetensors')
    await shot('ex-06-export-preview')

    await dialog.getByRole('button', { name: 'Save' }).click()
    const saved = dialog.getByRole('status').filter({ hasText: 'Saved: Kohya LoRA' })
    await saved.waitFor()
    const file = path.join(web.projectsDir, PROJECT, 'exports', '1-kohya.safetensors')
    expect(existsSync(file)).toBe(true)
    await saved.getByText(file).waitFor()
    await saved.getByText(/^[0-9a-f]{64}$/).waitFor()
    expect(statSync(file).size).toBeGreaterThan(1000)
    await dialog.getByRole('table', { name: 'Previous exports' }).getByText('Kohya LoRA').waitFor()
    await shot('ex-07-exported')
    await dialog.getByRole('button', { name: 'Done' }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(web.problems).toEqual([])
  })

  it('duplicates, refuses S2 > S1 by name, and cancels a long run after a reload', async () => {
    await page.getByRole('button', { name: 'Duplicate' }).click()
    await page.getByText(/^Settings copied from experiment 1/).waitFor()
    expect(await field('Concept').inputValue()).toBe('van gogh')
    expect(await field('M').inputValue()).toBe('10')
    await field('S2').fill('0.995')
    const message = 'S2 (0.995) must not exceed S1 (0.99): no cosine can lie between them.'
    await page.getByText(message).first().waitFor()
    const start = page.getByRole('button', { name: 'Start experiment' })
    expect(await start.isDisabled()).toBe(true)
    await reveal(field('S2'))
    await shot('ex-08-duplicate-invalid')

    // Long enough to reload and cancel: M = 2000 keeps mining and solving busy for seconds (the
    // host answers nothing while it mines), and 2 seeds × 12 steps keep the gallery going.
    await page.getByRole('button', { name: 'Reset S2 to its default, 0.8' }).click()
    await field('M').fill('2000')
    await field('Seeds').fill('1, 2')
    await field('Steps').fill('12')
    await start.click()
    await page.getByRole('progressbar', { name: 'Stage progress' }).waitFor()

    // A reloaded window finds the running job again through the jobs store.
    await page.reload()
    await page.getByRole('button', { name: `Open ${PROJECT}` }).click()
    const row = page.getByRole('row', { name: /^Experiment 2: / })
    await row.getByText('Running').waitFor()
    await row.getByRole('button', { name: 'Erase van gogh' }).click()
    const run = page.getByRole('region', { name: 'Run' })
    await run.getByRole('progressbar', { name: 'Stage progress' }).waitFor()
    await stage('Render gallery', 'running').waitFor({ timeout: 30_000 })
    await shot('ex-09-reattached')
    await run.getByRole('button', { name: 'Cancel' }).click()
    await run.getByText(/^Cancelled during/).waitFor({ timeout: 30_000 })

    await page.getByRole('button', { name: PROJECT, exact: true }).click()
    await page
      .getByRole('row', { name: /^Experiment 2: / })
      .getByText('Cancelled')
      .waitFor()
    await page
      .getByRole('row', { name: /^Experiment 1: / })
      .getByText('Succeeded')
      .waitFor()
    await page.getByRole('combobox', { name: 'Status' }).click()
    await page.getByRole('option', { name: 'Cancelled' }).click()
    await expect.poll(() => page.getByRole('row', { name: /^Experiment \d+: / }).count()).toBe(1)
    await reveal(page.getByRole('table', { name: 'Experiments' }), 'end')
    await shot('ex-10-table-cancelled')
    await page.getByRole('combobox', { name: 'Status' }).click()
    await page.getByRole('option', { name: 'All statuses' }).click()

    // Rerun the cancelled experiment: Duplicate pre-fills it, a smaller M finishes quickly.
    await page
      .getByRole('row', { name: /^Experiment 2: / })
      .getByRole('button', { name: 'Erase van gogh' })
      .click()
    await page.getByRole('button', { name: 'Duplicate' }).click()
    await page.getByText(/^Settings copied from experiment 2/).waitFor()
    expect(await field('M').inputValue()).toBe('2000')
    await field('M').fill('10')
    await field('Seeds').fill('1')
    await field('Steps').fill('2')
    await page.getByRole('button', { name: 'Start experiment' }).click()
    await stage('Render gallery', 'done').waitFor({ timeout: 60_000 })
    await page.getByRole('button', { name: PROJECT, exact: true }).click()
    await page
      .getByRole('row', { name: /^Experiment 3: / })
      .getByText('Succeeded')
      .waitFor()
    await shot('ex-11-rerun-succeeded')
    expect(web.problems).toEqual([])
  })

  it('looks right in the dark theme', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('button', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Dark' }).click()
    await nav.getByRole('button', { name: 'Projects' }).click()
    await page.getByRole('button', { name: `Open ${PROJECT}` }).click()
    await reveal(page.getByRole('table', { name: 'Experiments' }), 'end')
    await shot('ex-11-table-dark')
    await page
      .getByRole('row', { name: /^Experiment 1: / })
      .getByRole('button')
      .click()
    const pair = page.getByRole('button', {
      name: 'Compare: a painting in the style of van gogh, seed 1',
    })
    await expect.poll(() => naturalWidth(pair.getByAltText(/^Erased: /))).toBe(64)
    await shot('ex-12-experiment-dark')
    await reveal(page.getByRole('heading', { name: 'Gallery', exact: true }), 'start')
    await shot('ex-12b-gallery-dark')
    await pair.click()
    await shot('ex-13-compare-dark')
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'Export…' }).click()
    const dialog = page.getByRole('dialog', { name: /^Export experiment 1/ })
    await dialog.getByRole('table', { name: 'Previous exports' }).waitFor()
    await dialog.getByText(/raise the rank or use full-rank/).waitFor()
    await shot('ex-14-export-dark')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Duplicate' }).click()
    await shot('ex-15-new-experiment-dark')
    expect(web.problems).toEqual([])
  })

  it('trains a full-variant LoRA and plots its loss curve, in both themes', async () => {
    // The previous test left the duplicate form of experiment 1 open (dark theme).
    await page.getByText(/^Settings copied from experiment 1/).waitFor()
    await page.getByRole('combobox', { name: 'Variant' }).click()
    await page.getByRole('option', { name: /^Full RealEra/ }).click()
    await field('M').fill('4')
    await field('N').fill('4')
    await field('Epochs').fill('20')
    await field('Learning rate').fill('0.003')
    await field('LoRA rank').fill('2')
    await field('LoRA alpha').fill('2')
    await field('Training images').fill('1')
    await page.getByRole('switch', { name: 'Render a before/after gallery' }).uncheck()
    await page.getByRole('button', { name: 'Start experiment' }).click()

    const loss = page.getByRole('region', { name: 'LoRA training loss' })
    await loss.waitFor()
    await page
      .getByRole('region', { name: 'Run' })
      .getByText(/^Finished in /)
      .waitFor({
        timeout: 60_000,
      })
    const chart = loss.getByRole('img', { name: /^LoRA training loss over 20 of 20 steps/ })
    await chart.waitFor()
    await expect.poll(() => loss.locator('[data-series="eval"] circle').count()).toBe(3)
    await loss
      .getByText(/shows the trend; per-step loss varies with the sampled timestep/)
      .waitFor()
    await reveal(loss)
    await shot('ex-16-loss-chart-dark')

    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('button', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Light' }).click()
    await nav.getByRole('button', { name: 'Projects' }).click()
    await page.getByRole('button', { name: `Open ${PROJECT}` }).click()
    // Experiment 3 is the rerun of the cancelled experiment 2; this one is 4.
    await page
      .getByRole('row', { name: /^Experiment 4: / })
      .getByRole('button')
      .click()
    await reveal(page.getByRole('region', { name: 'LoRA training loss' }))
    await shot('ex-17-loss-chart-light')
    expect(web.problems).toEqual([])
  })
})
