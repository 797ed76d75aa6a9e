import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PNG } from 'pngjs'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTinyPipeline } from '../../../src/main/engine/tiny'
import type {
  EmbeddingMap,
  Experiment,
  JobSnapshot,
  Model,
  Project,
} from '../../../src/shared/contract'
import type { StudioWeb } from '../../helpers/studio-web'
import { startStudioWeb } from '../../helpers/studio-web'

const ARTIFACTS = path.resolve('test-artifacts/e2e')
const PROJECT = 'Map lab'
const PROBES = ['starry night', 'sunflowers in a vase']

/** Three significant digits, as the map shows them (values here are between 1e-3 and 1e5). */
const sig3 = (v: number): string => Number(v.toPrecision(3)).toString()
const fileName = (ext: string): string => `experiment-2-map-pca.${ext}`

let web: StudioWeb
let page: Page
let root: string
let project: Project
let model: Model

const shot = async (name: string): Promise<void> => {
  await page.waitForTimeout(350)
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) })
}

/** The DOM members these checks read (the node tsconfig has no DOM types). */
interface AttributeLike {
  getAttribute(name: string): string | null
}
interface ScrollLike {
  scrollIntoView(options: { block: string }): void
}
const reveal = (el: Locator, block: 'start' | 'center' | 'end' = 'start'): Promise<void> =>
  el.evaluate((node: ScrollLike, b) => node.scrollIntoView({ block: b }), block)

async function request<T>(name: string, input: unknown): Promise<T> {
  const env = await web.host.request(name, input)
  if (!env.ok) throw new Error(`${name}: ${env.error.message}`)
  return env.value as T
}

/** Polls the host until the job ends (the browser is not needed to run it). */
async function waitJob(
  id: string,
  until: (j: JobSnapshot) => boolean = (j) =>
    ['succeeded', 'failed', 'cancelled'].includes(j.state),
): Promise<JobSnapshot> {
  for (;;) {
    const job = (await request<JobSnapshot[]>('jobs.list', { projectId: project.id })).find(
      (j) => j.id === id,
    )
    if (job && until(job)) return job
    await new Promise((r) => setTimeout(r, 50))
  }
}

const eraseInput = (m: number): Record<string, unknown> => ({
  kind: 'erase',
  projectId: project.id,
  modelId: model.id,
  spec: {
    preset: 'artist',
    concepts: [
      {
        concept: 'van gogh',
        anchor: 'art',
        templates: ['a painting in the style of {}', 'a sketch by {}'],
      },
    ],
    preserve: ['claude monet'],
    probes: PROBES,
  },
  params: { m, n: 40, seed: 5 },
  gallery: { enabled: false },
})

const mapRegion = (): Locator => page.getByRole('region', { name: 'Embedding map' })
const projection = (): Locator => mapRegion().locator('figure[data-panel="projection"]')

async function openExperiment(n: number): Promise<void> {
  await page
    .getByRole('button', { name: PROJECT, exact: true })
    .or(page.getByRole('button', { name: `Open ${PROJECT}` }))
    .first()
    .click()
  await page
    .getByRole('row', { name: new RegExp(`^Experiment ${n}: `) })
    .getByRole('button')
    .click()
  await reveal(mapRegion())
}

describe('embedding-space map in a browser, against the real host over the bridge', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    root = mkdtempSync(path.join(os.tmpdir(), 'realera-e2e-map-'))
    const tinyDir = path.join(root, 'tiny-sd1')
    await writeTinyPipeline(tinyDir, { variant: 'sd1', seed: 1 })
    web = await startStudioWeb({ colorScheme: 'light' })
    page = web.page
    page.setDefaultTimeout(15_000)
    project = await request<Project>('projects.create', { name: PROJECT })
    const reg = await request<JobSnapshot>('jobs.start', {
      kind: 'register-model',
      projectId: project.id,
      dir: tinyDir,
    })
    model = (await waitJob(reg.id)).result as Model
    // Experiment 1: cancelled before stage 1 ends (M = 5,000,000), so it has no points.
    const big = await request<JobSnapshot>('jobs.start', eraseInput(5_000_000))
    await waitJob(big.id, (j) => j.progress?.phase === 'encode')
    await request('jobs.cancel', { jobId: big.id })
    expect((await waitJob(big.id)).state).toBe('cancelled')
    // Experiment 2: a quick stage 1 (M = N = 40, two templates).
    const run = await request<JobSnapshot>('jobs.start', eraseInput(40))
    expect((await waitJob(run.id)).state).toBe('succeeded')
  })

  afterAll(async () => {
    await web?.close()
    if (root) rmSync(root, { recursive: true, force: true })
  })

  it('says what to do when stage 1 has not produced points', async () => {
    await page.goto(web.url)
    await openExperiment(1)
    await mapRegion().getByText('No points yet').waitFor()
    await mapRegion()
      .getByText(/Run this experiment/)
      .waitFor()
    expect(await mapRegion().getByRole('button', { name: 'Export the map as SVG' }).count()).toBe(0)
    await shot('map-01-empty')
    expect(web.problems).toEqual([])
  })

  it('plots both panels, toggles a layer and shows a probe’s distance and region on hover', async () => {
    await openExperiment(2)
    const exp = (await request<Experiment[]>('experiments.list', { projectId: project.id })).find(
      (e) => e.number === 2,
    )!
    const map = await request<EmbeddingMap>('experiments.map', {
      projectId: project.id,
      experimentId: exp.id,
    })
    // What the host measured for the first probe, and the e it was measured from.
    const probeIndex = map.points.findIndex((p) => p.kind === 'probe')
    const probe = map.points[probeIndex]!
    const norm = map.references[map.reference[probeIndex]!]!.norm
    const scaled = probe.distance / norm
    const inside = scaled < exp.params.d1 && probe.cosine >= exp.params.s2

    const region = mapRegion()
    await region.getByRole('figure', { name: /^PCA projection \(approximate\)/ }).waitFor()
    await region.getByRole('figure', { name: /^Distance vs cosine \(exact\)/ }).waitFor()
    await region.getByText(/The distance–cosine panel is exact/).waitFor()
    // Every kind is drawn, one group per kind, and the rings around both erasure embeddings.
    for (const kind of [
      'erasure',
      'anchor',
      'neighbor',
      'anchor-tolerance',
      'beyond',
      'preserved',
      'probe',
    ]) {
      await projection().locator(`g[data-kind="${kind}"]`).waitFor()
    }
    expect(await projection().locator('g[data-ring]').count()).toBe(2)
    await shot('map-02-pca')

    // The legend is the layer switch.
    const neighbors = region
      .getByRole('group', { name: 'Layers' })
      .getByRole('button', { name: 'Neighbors (80)' })
    expect(await neighbors.getAttribute('aria-pressed')).toBe('true')
    await neighbors.click()
    // After a click, state lands on React's next commit: poll rather than read once.
    await expect.poll(() => neighbors.getAttribute('aria-pressed')).toBe('false')
    await expect.poll(() => projection().locator('g[data-kind="neighbor"]').count()).toBe(0)
    await expect
      .poll(() =>
        region.locator('figure[data-panel="distance-cosine"] g[data-kind="neighbor"]').count(),
      )
      .toBe(0)
    const rings = region.getByRole('button', { name: 'D1 and D2 rings' })
    await rings.click()
    await expect.poll(() => projection().locator('g[data-ring]').count()).toBe(0)
    await rings.click()

    // Only probes left on: hovering one is unambiguous. Its prompt, exact distance and region.
    const layers = region.getByRole('group', { name: 'Layers' })
    for (const name of ['Beyond (80)', 'Anchor tolerance (80)'])
      await layers.getByRole('button', { name }).click()
    expect(
      await projection()
        .locator('g[data-kind]')
        .evaluateAll((gs: AttributeLike[]) => gs.map((g) => g.getAttribute('data-kind'))),
    ).toEqual(['preserved', 'anchor', 'probe', 'erasure'])
    // No legend hint left open between the pointer and the chart.
    await page.mouse.move(5, 5)
    await expect.poll(() => page.getByRole('tooltip').count()).toBe(0)
    await reveal(projection(), 'center')
    const at = await projection()
      .locator(`g[data-kind="probe"] path[data-index="${probeIndex}"]`)
      .getAttribute('data-at')
    const [cx, cy] = (at ?? '').split(',').map(Number)
    const svgBox = await projection().locator('svg:has(g[data-kind])').boundingBox()
    await page.mouse.move(svgBox!.x + cx!, svgBox!.y + cy!)
    const card = page.getByTestId('map-point-card')
    await card.getByText(probe.prompt, { exact: true }).waitFor()
    const details = card.locator('dl[aria-label="Point details"]')
    await details
      .getByText(`${sig3(probe.distance)} (${sig3(scaled)} ‖e‖)`, { exact: true })
      .waitFor()
    await details.getByText(sig3(probe.cosine), { exact: true }).waitFor()
    await card
      .getByText(inside ? /^Inside the mined neighborhood/ : /^Outside the mined neighborhood/)
      .waitFor()
    await shot('map-03-hover-probe')
    await page.mouse.move(5, 5)
    for (const name of ['Neighbors (80)', 'Beyond (80)', 'Anchor tolerance (80)'])
      await layers.getByRole('button', { name }).click()
    expect(await neighbors.getAttribute('aria-pressed')).toBe('true')
    await reveal(mapRegion())
    expect(web.problems).toEqual([])
  })

  it('exports the view as SVG (by keyboard) and PNG', async () => {
    const svgButton = mapRegion().getByRole('button', { name: 'Export the map as SVG' })
    await svgButton.focus()
    const [svgDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.keyboard.press('Enter'),
    ])
    expect(svgDownload.suggestedFilename()).toBe(fileName('svg'))
    const svgPath = path.join(ARTIFACTS, 'map-05-export.svg')
    await svgDownload.saveAs(svgPath)
    const svg = readFileSync(svgPath, 'utf8')
    expect(svg.startsWith('<?xml')).toBe(true)
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg"')
    expect(svg).toContain('embedding map (PCA)')
    expect(svg).toContain('Distance vs cosine (exact)')
    expect(svg).toContain('PCA projection (approximate)')
    expect(svg).toContain('S1 = 0.99')
    expect(svg).not.toContain('class="')
    // Markers of every kind, in their colours, in both panels; the rings too.
    expect(svg.match(/data-kind="neighbor"/g)).toHaveLength(2)
    expect(svg).toContain('fill="#E69F00"')
    expect(svg.match(/data-ring=/g)).toHaveLength(2)
    await mapRegion()
      .getByRole('status')
      .getByText(`Saved ${fileName('svg')}`)
      .waitFor()

    const [pngDownload] = await Promise.all([
      page.waitForEvent('download'),
      mapRegion().getByRole('button', { name: 'Export the map as PNG' }).click(),
    ])
    expect(pngDownload.suggestedFilename()).toBe(fileName('png'))
    const pngPath = path.join(ARTIFACTS, 'map-05-export.png')
    await pngDownload.saveAs(pngPath)
    const png = PNG.sync.read(readFileSync(pngPath))
    const width = Number(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="(\d+)"/.exec(svg)?.[1])
    expect(png.width).toBe(width * 2)
    // Not blank: the markers' orange (#E69F00) is in the image.
    let orange = 0
    for (let i = 0; i < png.data.length; i += 4) {
      if (
        Math.abs(png.data[i]! - 0xe6) < 8 &&
        Math.abs(png.data[i + 1]! - 0x9f) < 8 &&
        png.data[i + 2]! < 16
      )
        orange++
    }
    expect(orange).toBeGreaterThan(50)
    expect(web.problems).toEqual([])
  })

  it('computes a seeded UMAP layout in the engine and plots it without rings', async () => {
    const region = mapRegion()
    await region
      .getByRole('group', { name: 'Projection' })
      .getByRole('button', { name: 'UMAP' })
      .click()
    const panel = region.getByRole('region', { name: 'UMAP layout' })
    await panel.getByText(/seeded with the experiment’s seed \(5\)/).waitFor()
    await panel.getByRole('button', { name: 'Compute UMAP layout' }).click()
    await region
      .getByRole('figure', { name: /^UMAP layout \(approximate\)/ })
      .waitFor({ timeout: 60_000 })
    await expect.poll(() => region.getByRole('button', { name: 'D1 and D2 rings' }).count()).toBe(0)
    await expect.poll(() => projection().locator('g[data-ring]').count()).toBe(0)
    await projection().locator('g[data-kind="beyond"]').waitFor()
    await shot('map-04-umap')

    // Back to PCA and again to UMAP: the cached layout shows at once.
    await region.getByRole('button', { name: 'PCA' }).click()
    await region.getByRole('figure', { name: /^PCA projection/ }).waitFor()
    await region.getByRole('button', { name: 'UMAP' }).click()
    await region.getByRole('figure', { name: /^UMAP layout/ }).waitFor()
    expect(web.problems).toEqual([])
  })
})
