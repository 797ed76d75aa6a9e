import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Experiment, Model, Project } from '../../../src/shared/contract'
import { writeTinyPipeline } from '../../../src/main/engine/tiny'
import type { StudioWeb } from '../../helpers/studio-web'
import { startStudioWeb } from '../../helpers/studio-web'

const ARTIFACTS = path.resolve('test-artifacts/e2e')
const PROJECT = 'Comparisons'

let web: StudioWeb
let page: Page
let root: string

/** Screenshots wait for MUI's transitions (dialogs, chips: at most 300 ms) to end. */
const shot = async (name: string): Promise<void> => {
  await page.waitForTimeout(350)
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) })
}

interface ImageLike {
  readonly complete: boolean
  readonly naturalWidth: number
}
interface ScrollLike {
  scrollIntoView(options: { block: string }): void
}

const reveal = (el: Locator, block: 'start' | 'center' | 'end' = 'center'): Promise<void> =>
  el.evaluate((node: ScrollLike, b) => node.scrollIntoView({ block: b }), block)

/** 0 until the image has loaded, then its decoded width. */
const naturalWidth = (img: Locator): Promise<number> =>
  img.evaluate((el: ImageLike) => (el.complete ? el.naturalWidth : 0))

/** Sends one command to the host the bridge serves (what the CLI or another window would do). */
async function ask<T>(name: string, input: unknown): Promise<T> {
  const res = await web.host.request(name, input)
  if (!res.ok) throw new Error(`${name}: ${res.error.message}`)
  return res.value as T
}

/** Polls `read` until it returns `want` (setup code runs outside tests, without expect.poll). */
async function until<T>(what: string, read: () => Promise<T>, want: T): Promise<void> {
  const deadline = Date.now() + 120_000
  let last: T | undefined
  while (Date.now() < deadline) {
    last = await read()
    if (last === want) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${what}: still ${String(last)} after 120 s`)
}

/** Runs one quick stage-1 erase on the host and waits for its end. */
async function erase(project: Project, model: Model, name: string, m: number): Promise<void> {
  await ask('jobs.start', {
    kind: 'erase',
    projectId: project.id,
    modelId: model.id,
    name,
    spec: {
      preset: 'artist',
      concepts: [
        { concept: 'van gogh', anchor: 'art', templates: ['a painting in the style of {}'] },
      ],
      preserve: ['Claude Monet'],
      probes: ['The Starry Night'],
    },
    params: { variant: 'mining-beyond', m, n: 4 },
    gallery: { seeds: [1], steps: 2, guidance: 7.5, scheduler: 'ddim', size: 64, enabled: true },
  })
  await until(
    `experiment ${name}`,
    async () =>
      (await ask<Experiment[]>('experiments.list', { projectId: project.id })).find(
        (e) => e.name === name,
      )?.status,
    'succeeded',
  )
}

describe('comparing experiments in a browser, against the real host over the bridge', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    root = mkdtempSync(path.join(os.tmpdir(), 'realera-e2e-compare-'))
    const tinyDir = path.join(root, 'tiny-sd1')
    await writeTinyPipeline(tinyDir, { variant: 'sd1', seed: 1 })
    // REALERA_E2E_RENDERER: a renderer built elsewhere than out/renderer (out/ in use).
    const staticDir = process.env.REALERA_E2E_RENDERER
    web = await startStudioWeb({ colorScheme: 'light', ...(staticDir ? { staticDir } : {}) })
    page = web.page
    page.setDefaultTimeout(15_000)

    // Two quick experiments of the same model that differ in M, made through the host.
    const project = await ask<Project>('projects.create', { name: PROJECT })
    await ask('jobs.start', { kind: 'register-model', projectId: project.id, dir: tinyDir })
    await until(
      'registered models',
      async () => (await ask<Model[]>('models.list', { projectId: project.id })).length,
      1,
    )
    const [model] = await ask<Model[]>('models.list', { projectId: project.id })
    await erase(project, model!, 'Four neighbors', 4)
    await erase(project, model!, 'Eight neighbors', 8)
  })

  afterAll(async () => {
    await web?.close()
    if (root) rmSync(root, { recursive: true, force: true })
  })

  it('selects two experiments in the table and compares their parameters', async () => {
    await page.goto(web.url)
    await page.getByRole('button', { name: `Open ${PROJECT}` }).click()
    const table = page.getByRole('table', { name: 'Experiments' })
    await table.getByRole('row', { name: 'Experiment 2: Eight neighbors' }).waitFor()
    const compare = page.getByRole('button', { name: /^Compare/ })
    expect(await compare.isDisabled()).toBe(true)

    await page.getByRole('checkbox', { name: 'Select experiment 1: Four neighbors' }).check()
    await page.getByRole('checkbox', { name: 'Select experiment 2: Eight neighbors' }).check()
    await page.getByText('2 experiments selected: press Compare (or C).').waitFor()
    expect(await page.getByRole('button', { name: 'Compare (2)' }).isDisabled()).toBe(false)
    await reveal(table, 'end')
    await shot('cmp-01-table-selected')

    // The C shortcut, with focus on the page rather than a field.
    await page.getByRole('heading', { level: 2, name: 'Experiments' }).click()
    await page.keyboard.press('c')
    await page.getByRole('heading', { level: 1, name: 'Compare experiments' }).waitFor()

    const params = page.getByRole('table', { name: 'Parameters compared' })
    const header = params.getByRole('columnheader')
    // The page heading renders before the experiments load: wait for the table's columns.
    await expect
      .poll(() => header.allTextContents())
      .toEqual(['Setting', '#1 Four neighbors', '#2 Eight neighbors'])
    const m = params.locator('tr[data-differs]', {
      has: page.getByRole('rowheader', { name: /^M/ }),
    })
    await expect.poll(() => m.getByRole('cell').allTextContents()).toEqual(['4', '8'])
    await page.getByText(/^1 of \d+ settings differ$/).waitFor()
    await reveal(m)
    await shot('cmp-02-parameters')

    await page.getByRole('switch', { name: 'Show only differences' }).check()
    await expect.poll(() => params.locator('tbody tr').count()).toBe(2)
    await shot('cmp-03-only-differences')
    await page.getByRole('switch', { name: 'Show only differences' }).uncheck()

    const results = page.getByRole('table', { name: 'Results compared' })
    await results.getByRole('rowheader', { name: /^Neighbor points/ }).waitFor()
    await page.getByText(/None of these experiments has been evaluated yet/).waitFor()
    await reveal(results, 'start')
    // Only the page's main area scrolls (screen-reader-only text must not stretch the window).
    expect(await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY)).toBe(
      0,
    )
    await shot('cmp-04-results')
    expect(web.problems).toEqual([])
  })

  it('shows the two galleries side by side with the original, and zooms in', async () => {
    const erasure = page.getByRole('list', { name: 'Erasure side by side' })
    const card = erasure.getByRole('button', {
      name: 'Zoom: a painting in the style of van gogh, seed 1',
    })
    await card.waitFor()
    for (const alt of [/^Original: /, /^#1 erased: /, /^#2 erased: /]) {
      await expect.poll(() => naturalWidth(card.getByAltText(alt))).toBe(64)
    }
    expect(
      await page
        .getByRole('list', { name: 'Preserved side by side' })
        .getByRole('listitem')
        .count(),
    ).toBe(1)
    await reveal(page.getByRole('heading', { name: 'Galleries side by side' }), 'start')
    await shot('cmp-05-gallery')

    await card.click()
    const dialog = page.getByRole('dialog', { name: /^Side by side/ })
    await dialog.getByText(/Erasure · seed 1 · 1 of 3/).waitFor()
    await expect.poll(() => naturalWidth(dialog.getByAltText(/^#2 erased: /))).toBe(64)
    await shot('cmp-06-zoom')
    await dialog.getByRole('button', { name: 'Next' }).click()
    await dialog.getByText(/2 of 3/).waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(web.problems).toEqual([])
  })

  it('lists the shortcuts with ?, and Ctrl+, opens the settings', async () => {
    await page.getByRole('heading', { level: 1, name: 'Compare experiments' }).click()
    await page.keyboard.press('?')
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await dialog.getByRole('row', { name: 'New experiment: N' }).waitFor()
    await shot('cmp-07-shortcuts')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })

    await page.keyboard.press('Control+,')
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
    expect(web.problems).toEqual([])
  })
})
