// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Route } from '../../../src/renderer/src/app/navigation'
import { App } from '../../../src/renderer/src/app/app'
import type { EraseStudio } from './helpers/erase-studio'
import { eraseInput, runErase, startEraseStudio, writeTinyModel } from './helpers/erase-studio'

let tiny: { dir: string; remove: () => void }
let s: EraseStudio

beforeAll(async () => {
  tiny = await writeTinyModel()
})
afterAll(() => tiny.remove())
beforeEach(async () => {
  s = await startEraseStudio(tiny.dir)
})
afterEach(async () => {
  cleanup()
  await s.studio.services.jobs.idle()
  await s.studio.close()
})

const renderAt = (route: Route): void => {
  render(<App client={s.studio.client} mediaQuery="" initialRoute={route} />)
}

const field = (label: string): HTMLInputElement => screen.getByLabelText<HTMLInputElement>(label)
const type = (label: string, value: string): void => {
  fireEvent.change(field(label), { target: { value } })
}

describe('new experiment page against the real host handlers', () => {
  it('fills the artist preset, refuses S2 > S1 by name, starts and opens the run view', async () => {
    renderAt({ page: 'new-experiment', projectId: s.project.id })
    fireEvent.click(await screen.findByRole('button', { name: 'Artist style' }))
    const templates = screen.getByRole('list', { name: 'Prompt templates' })
    expect(within(templates).getByText('a painting in the style of {}')).toBeTruthy()
    expect(
      within(screen.getByRole('list', { name: 'Preserved concepts' })).getByText('Claude Monet'),
    ).toBeTruthy()
    expect(field('Anchor').value).toBe('art')
    const start = screen.getByRole('button', { name: 'Start experiment' })
    expect(start.hasAttribute('disabled')).toBe(true)
    expect(screen.getByText('Name the concept to erase.')).toBeTruthy()

    type('Concept', 'van gogh')
    type('M', '5')
    type('N', '5')
    type('Seeds', '1')
    type('Steps', '4')
    type('Size', '64')
    type('S2', '0.995')
    const message = 'S2 (0.995) must not exceed S1 (0.99): no cosine can lie between them.'
    expect(screen.getAllByText(message).length).toBeGreaterThanOrEqual(1)
    expect(field('S2').getAttribute('aria-invalid')).toBe('true')
    expect(start.hasAttribute('disabled')).toBe(true)

    fireEvent.click(screen.getByRole('button', { name: 'Reset S2 to its default, 0.8' }))
    expect(field('S2').value).toBe('0.8')
    expect(screen.queryByText(message)).toBeNull()
    const summary = screen.getByRole('complementary', { name: 'Run summary' })
    const summaryValue = (term: string): string | null | undefined =>
      Array.from(summary.querySelectorAll('dt')).find((d) => d.textContent === term)
        ?.nextElementSibling?.textContent
    expect(summaryValue('Neighbors')).toBe('20 points')
    expect(summaryValue('Beyond')).toBe('20 points')
    expect(summaryValue('Gallery')).toBe('18 images')
    fireEvent.click(start)

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Erase van gogh' }, { timeout: 10_000 }),
    ).toBeTruthy()
    const run = screen.getByRole('region', { name: 'Run' })
    expect(await within(run).findByText(/^Finished in /, {}, { timeout: 20_000 })).toBeTruthy()
    await waitFor(() =>
      expect(
        within(screen.getByRole('list', { name: 'Preserved pairs' })).getAllByRole('listitem'),
      ).toHaveLength(5),
    )
    const [exp] = await s.studio.client.invoke('experiments.list', { projectId: s.project.id })
    expect(exp?.params).toMatchObject({ m: 5, n: 5, s2: 0.8 })
    expect(exp?.gallery).toMatchObject({ seeds: [1], steps: 4, size: 64 })
    expect(exp?.spec.concepts[0]?.templates).toHaveLength(4)
  })

  it('duplicates an experiment into the form', async () => {
    const exp = await runErase(
      s,
      eraseInput(s, { params: { m: 7, seed: 42 }, gallery: { enabled: false } }),
    )
    renderAt({ page: 'experiment', projectId: s.project.id, experimentId: exp.id })
    fireEvent.click(await screen.findByRole('button', { name: 'Duplicate' }))
    expect(await screen.findByText(/^Settings copied from experiment 1/)).toBeTruthy()
    expect(field('Concept').value).toBe('van gogh')
    expect(field('M').value).toBe('7')
    expect(field('Seed').value).toBe('42')
    expect(
      screen.getByRole<HTMLInputElement>('switch', { name: 'Render a before/after gallery' })
        .checked,
    ).toBe(false)
  })

  it('lists experiments on the project page, sorted and filtered', async () => {
    await runErase(
      s,
      eraseInput(s, { name: 'Small M', params: { m: 3 }, gallery: { enabled: false } }),
    )
    await runErase(
      s,
      eraseInput(s, { name: 'Large M', params: { m: 9 }, gallery: { enabled: false } }),
    )
    renderAt({ page: 'project', projectId: s.project.id })
    const table = await screen.findByRole('table', { name: 'Experiments' })
    const names = (): string[] =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.getAttribute('aria-label') ?? '')
    expect(names()).toEqual(['Experiment 2: Large M', 'Experiment 1: Small M'])
    fireEvent.click(within(table).getByRole('button', { name: 'Sort by M, neighbor samples' }))
    expect(names()).toEqual(['Experiment 2: Large M', 'Experiment 1: Small M'])
    fireEvent.click(within(table).getByRole('button', { name: 'Sort by M, neighbor samples' }))
    expect(names()).toEqual(['Experiment 1: Small M', 'Experiment 2: Large M'])
    fireEvent.change(screen.getByLabelText('Filter experiments'), { target: { value: 'large' } })
    expect(names()).toEqual(['Experiment 2: Large M'])
    expect(screen.getByText('1 of 2 shown')).toBeTruthy()
    fireEvent.click(within(table).getByRole('button', { name: 'Large M' }))
    expect(await screen.findByRole('heading', { level: 1, name: 'Large M' })).toBeTruthy()
  })

  it('reattaches to a running erase job in a new window and cancels it', async () => {
    // A long gallery keeps the job running (each image is a cancellation point).
    const job = await s.studio.client.invoke(
      'jobs.start',
      eraseInput(s, { gallery: { seeds: [1, 2], steps: 60 } }),
    )
    renderAt({ page: 'project', projectId: s.project.id })
    const row = await screen.findByRole('row', { name: /^Experiment 1: / }, { timeout: 10_000 })
    fireEvent.click(within(row).getByRole('button', { name: 'Erase van gogh' }))
    const run = await screen.findByRole('region', { name: 'Run' })
    expect(
      await within(run).findByText(
        /^Rendering the before\/after gallery · \d+ \/ 12 images$/,
        {},
        { timeout: 20_000 },
      ),
    ).toBeTruthy()
    expect(within(run).getByRole('listitem', { name: 'Render gallery: running' })).toBeTruthy()
    fireEvent.click(within(run).getByRole('button', { name: 'Cancel' }))
    expect(
      await within(run).findByText(/^Cancelled during “render gallery”/, {}, { timeout: 20_000 }),
    ).toBeTruthy()
    expect(s.studio.services.jobs.get(job.id).state).toBe('cancelled')
    const [exp] = await s.studio.client.invoke('experiments.list', { projectId: s.project.id })
    expect(exp?.status).toBe('cancelled')
  })
})
