import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StudioWeb } from '../../helpers/studio-web'
import { startStudioWeb } from '../../helpers/studio-web'
import { tempDir } from '../../helpers/temp-dir'

/**
 * The first start of `npm start`, in a browser over the bridge: the host makes the "ShapeWorld
 * demo" project with the bundled ShapeWorld model (the trained one from resources/shapeworld,
 * copied to a temp folder and passed as REALERA_BUNDLED_SHAPEWORLD so the test writes nothing
 * under resources/), and a person erases "red" from it with the full variant, evaluates the
 * result in the same run, and reads the gallery and the metrics.
 */
const SHIPPED = path.resolve('resources/shapeworld')
const ARTIFACTS = path.resolve('test-artifacts/e2e')
const DEMO = 'ShapeWorld demo'

let web: StudioWeb
let page: Page
const tmp = tempDir('e2e-demo')

const shot = async (name: string): Promise<void> => {
  await page.waitForTimeout(350)
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) })
}

interface ImageLike {
  readonly complete: boolean
  readonly naturalWidth: number
}
const naturalWidth = (img: Locator): Promise<number> =>
  img.evaluate((el: ImageLike) => (el.complete ? el.naturalWidth : 0))

const field = (label: string): Locator => page.getByLabel(label, { exact: true })

const definition = (list: Locator, term: string): Locator =>
  list.locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]')

/** Types an entry into a chip list and presses Enter. */
const addChip = async (addLabel: string, value: string): Promise<void> => {
  await page.getByRole('textbox', { name: addLabel }).fill(value)
  await page.getByRole('textbox', { name: addLabel }).press('Enter')
}

describe('the ShapeWorld demo project, first start, in a browser', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    if (!existsSync(path.join(SHIPPED, 'model_index.json')))
      throw new Error(`The trained ShapeWorld model is missing from ${SHIPPED}.`)
    const modelDir = path.join(tmp.dir, 'shapeworld')
    cpSync(SHIPPED, modelDir, { recursive: true })
    web = await startStudioWeb({ colorScheme: 'light', demo: { modelDir } })
    page = web.page
    page.setDefaultTimeout(15_000)
  })

  afterAll(async () => {
    await web?.close()
    rmSync(tmp.dir, { recursive: true, force: true })
  })

  it('opens with the demo project and its registered ShapeWorld model', async () => {
    await page.goto(web.url)
    await page.getByRole('button', { name: `Open ${DEMO}` }).waitFor()
    await shot('demo-01-projects')
    await page.getByRole('button', { name: `Open ${DEMO}` }).click()
    await page.getByRole('heading', { level: 1, name: DEMO }).waitFor()
    // The host registers the model with the ordinary register-model job, in the background.
    await page.getByRole('article', { name: 'ShapeWorld' }).waitFor({ timeout: 30_000 })
    await page.getByText('No experiments yet').waitFor()
    await shot('demo-02-project-with-model')
    expect(web.problems).toEqual([])
  })

  it('erases red with the full variant, evaluates it, and shows the gallery and the metrics', async () => {
    await page.getByRole('button', { name: 'New experiment' }).click()
    await page.getByRole('heading', { level: 1, name: 'New experiment' }).waitFor()
    // As the erasure bench does: "red" in every shape's template, mapped to the empty anchor.
    await field('Concept').fill('red')
    expect(await field('Anchor').inputValue()).toBe('')
    const templates = page.getByRole('list', { name: 'Prompt templates' })
    await templates.getByRole('button', { name: '{}' }).press('Delete')
    await addChip('Add a template', 'a {} circle')
    await addChip('Add a template', 'a {} square')
    await templates.getByText('a {} square').waitFor()
    expect(await templates.getByRole('listitem').count()).toBe(2)
    // A preserved concept is drawn in the first template: "blue" → "a blue circle".
    await addChip('Add a preserved concept', 'blue')
    await addChip('Add a probe prompt', 'a ruby')

    await page.getByRole('combobox', { name: 'Variant' }).click()
    await page.getByRole('option', { name: /^Full RealEra/ }).click()
    await field('M').fill('4')
    await field('N').fill('4')
    await field('Epochs').fill('5')
    await field('Training images').fill('1')
    await field('Seeds').fill('1')
    await field('Steps').fill('20')
    await field('Size').fill('64')
    await page.getByRole('switch', { name: 'Evaluate after erasing' }).check()
    const summary = page.getByRole('complementary', { name: 'Run summary' })
    await definition(summary, 'Evaluate').getByText('After erasing').waitFor()
    await definition(summary, 'Gallery').getByText('6 images').waitFor()
    await page.getByRole('switch', { name: 'Evaluate after erasing' }).scrollIntoViewIfNeeded()
    await shot('demo-03-new-experiment')
    await summary.getByRole('button', { name: 'Start experiment' }).click()

    const run = page.getByRole('region', { name: 'Run' })
    await page.getByRole('heading', { level: 1, name: 'Erase red' }).waitFor()
    await shot('demo-04-running')
    await run.getByText(/^Finished in /).waitFor({ timeout: 150_000 })

    // The gallery draws each concept in the first template, original and erased side by side.
    const erasure = page.getByRole('list', { name: 'Erasure pairs' })
    const pair = erasure.getByRole('button', { name: 'Compare: a red circle, seed 1' })
    await expect.poll(() => naturalWidth(pair.getByAltText(/^Original: /))).toBe(64)
    await expect.poll(() => naturalWidth(pair.getByAltText(/^Erased: /))).toBe(64)
    expect(await erasure.getByRole('listitem').count()).toBe(1)
    const preserved = page.getByRole('list', { name: 'Preserved pairs' })
    await preserved.getByRole('button', { name: 'Compare: a blue circle, seed 1' }).waitFor()
    const probes = page.getByRole('list', { name: 'Probe (associated) pairs' })
    await probes.getByRole('button', { name: 'Compare: a ruby, seed 1' }).waitFor()
    await page.getByRole('heading', { name: 'Gallery', exact: true }).scrollIntoViewIfNeeded()
    await shot('demo-05-gallery')

    // Five LoRA epochs and one seed make a smoke test, not a measurement (bench:erasure is
    // that): the four tiles and their format are checked here.
    const metrics = page.getByRole('list', { name: 'Metrics' })
    await metrics.waitFor({ timeout: 30_000 })
    const tiles = [
      ['Acc_e', 'lower'],
      ['Acc_s', 'higher'],
      ['Acc_g', 'lower'],
      ['H_o', 'higher'],
    ] as const
    for (const [label, better] of tiles) {
      const tile = metrics.getByRole('listitem', {
        name: new RegExp(`^${label} \\d{1,3}\\.\\d %, ${better} is better$`),
      })
      await tile.getByText(/^\d{1,3}\.\d %$/).waitFor()
    }
    expect(await metrics.getByRole('listitem').count()).toBe(4)
    const measured = page.getByLabel('How the metrics were measured')
    await definition(measured, 'Evaluator').getByText('shapeworld-pixels').waitFor()
    await metrics.scrollIntoViewIfNeeded()
    await shot('demo-06-metrics')
    expect(web.problems).toEqual([])
  })
})
