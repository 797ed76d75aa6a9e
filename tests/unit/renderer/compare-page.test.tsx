// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Experiment, ExperimentMetrics } from '../../../src/shared/contract'
import { App } from '../../../src/renderer/src/app/app'
import type { Route } from '../../../src/renderer/src/app/navigation'
import type { EraseStudio } from './helpers/erase-studio'
import { eraseInput, runErase, startEraseStudio, writeTinyModel } from './helpers/erase-studio'

let tiny: { dir: string; remove: () => void }
let s: EraseStudio
let one: Experiment
let two: Experiment

beforeAll(async () => {
  tiny = await writeTinyModel()
  s = await startEraseStudio(tiny.dir)
  one = await runErase(s, eraseInput(s, { name: 'Five neighbors' }))
  two = await runErase(s, eraseInput(s, { name: 'Eight neighbors', params: { m: 8 } }))
})
afterAll(async () => {
  await s.studio.services.jobs.idle()
  await s.studio.close()
  tiny.remove()
})
afterEach(cleanup)

const renderAt = (route: Route): void => {
  render(<App client={s.studio.client} mediaQuery="?token=t0k" initialRoute={route} />)
}

const url = (p: string): string => `http://127.0.0.1/media/${s.project.id}/${p}?token=t0k`

/** The table row of a setting, by its row header's text. */
const settingRow = (table: HTMLElement, label: string): HTMLElement => {
  const header = within(table)
    .getAllByRole('rowheader')
    .find((th) => th.querySelector('span')?.textContent === label)
  const row = header?.closest('tr')
  if (!row) throw new Error(`no row ${label}`)
  return row
}

const cellTexts = (row: HTMLElement): string[] =>
  within(row)
    .getAllByRole('cell')
    .map((c) => c.textContent ?? '')

describe('comparing experiments against the real host handlers', () => {
  it('picks two experiments in the table and shows their differing parameters', async () => {
    renderAt({ page: 'project', projectId: s.project.id })
    const compare = await screen.findByRole('button', { name: 'Compare' })
    expect(compare).toHaveProperty('disabled', true)
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select experiment 1: Five neighbors' }))
    expect(screen.getByText('1 experiment selected: tick another to compare.')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Compare (1)' })).toHaveProperty('disabled', true)
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select experiment 2: Eight neighbors' }))
    const ready = screen.getByRole('button', { name: 'Compare (2)' })
    expect(ready).toHaveProperty('disabled', false)
    fireEvent.click(ready)

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Compare experiments' }),
    ).toBeTruthy()
    const table = await screen.findByRole('table', { name: 'Parameters compared' })
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent)
    expect(headers).toEqual(['Setting', '#1 Five neighbors', '#2 Eight neighbors'])
    const m = settingRow(table, 'M')
    expect(m.dataset.differs).toBe('true')
    expect(cellTexts(m)).toEqual(['5', '8'])
    // Equal values show once across both columns.
    const n = settingRow(table, 'N')
    expect(n.dataset.differs).toBeUndefined()
    expect(cellTexts(n)).toEqual(['5 (all the same)'])
    expect(within(n).getByRole('cell').getAttribute('colspan')).toBe('2')
    expect(cellTexts(settingRow(table, 'Model'))).toEqual(['tiny-sd1 (all the same)'])
    expect(screen.getByText(/^1 of \d+ settings differ$/)).toBeTruthy()

    fireEvent.click(screen.getByRole('switch', { name: 'Show only differences' }))
    const only = screen.getByRole('table', { name: 'Parameters compared' })
    expect(
      within(only)
        .getAllByRole('rowheader')
        .map((h) => h.textContent),
    ).toEqual(['Neighborhood', 'M, differs'])

    const results = screen.getByRole('table', { name: 'Results compared' })
    expect(screen.getByText(/None of these experiments has been evaluated yet/)).toBeTruthy()
    expect(cellTexts(settingRow(results, 'Status'))).toEqual(['Succeeded', 'Succeeded'])
    expect(cellTexts(settingRow(results, 'Neighbor points'))).toEqual(['5', '8'])
  })

  it('shows both galleries per prompt and seed beside the original, and zooms in', async () => {
    renderAt({ page: 'compare', projectId: s.project.id, experimentIds: [two.id, one.id] })
    const erasure = await screen.findByRole('list', { name: 'Erasure side by side' })
    const card = await within(erasure).findByRole('button', {
      name: 'Zoom: a painting in the style of van gogh, seed 1',
    })
    const get = async (id: string) =>
      (
        await s.studio.client.invoke('experiments.get', {
          projectId: s.project.id,
          experimentId: id,
        })
      ).gallery
    const [g1, g2] = [await get(one.id), await get(two.id)]
    const path = (g: typeof g1, role: 'original' | 'erased') =>
      g.find((i) => i.group === 'erasure' && i.role === role)!.path
    expect(
      within(card)
        .getByAltText(/^Original: /)
        .getAttribute('src'),
    ).toBe(url(path(g1, 'original')))
    expect(
      within(card)
        .getByAltText(/^#1 erased: /)
        .getAttribute('src'),
    ).toBe(url(path(g1, 'erased')))
    expect(
      within(card)
        .getByAltText(/^#2 erased: /)
        .getAttribute('src'),
    ).toBe(url(path(g2, 'erased')))
    expect(path(g1, 'erased')).not.toBe(path(g2, 'erased'))
    expect(screen.getByText(/3 of 3 prompt and seed pairs were drawn by both/)).toBeTruthy()
    expect(screen.getByRole('list', { name: 'Preserved side by side' })).toBeTruthy()

    fireEvent.click(card)
    const dialog = await screen.findByRole('dialog', { name: /^Side by side/ })
    expect(within(dialog).getByText(/Erasure · seed 1 · 1 of 3/)).toBeTruthy()
    expect(within(dialog).getAllByRole('img')).toHaveLength(3)
    fireEvent.click(within(dialog).getByRole('button', { name: 'Next' }))
    expect(within(dialog).getByText(/2 of 3/)).toBeTruthy()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close side by side' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  })

  it('says why galleries are not shown, and what to do with fewer than two', async () => {
    const three = await runErase(
      s,
      eraseInput(s, { name: 'No gallery', params: { lambda1: 0.2 }, gallery: { enabled: false } }),
    )
    renderAt({
      page: 'compare',
      projectId: s.project.id,
      experimentIds: [one.id, two.id, three.id],
    })
    expect(await screen.findByText(/two at a time; 3 experiments are chosen/)).toBeTruthy()
    const table = screen.getByRole('table', { name: 'Parameters compared' })
    expect(cellTexts(settingRow(table, 'λ1'))).toEqual(['0.1', '0.1', '0.2'])
    expect(cellTexts(settingRow(table, 'Gallery'))).toEqual(['On', 'On', 'Off'])

    // Removing a chip (Delete on it) leaves two: the gallery pair then has no images.
    fireEvent.keyUp(screen.getByRole('button', { name: /^#1 Five neighbors: press Delete/ }), {
      key: 'Delete',
    })
    fireEvent.keyUp(
      await screen.findByRole('button', { name: /^#2 Eight neighbors: press Delete/ }),
      { key: 'Delete' },
    )
    expect(await screen.findByText('Pick experiments to compare')).toBeTruthy()
    expect(screen.queryByRole('table', { name: 'Parameters compared' })).toBeNull()
    await s.studio.client.invoke('experiments.delete', {
      projectId: s.project.id,
      experimentId: three.id,
    })
  })

  it('shows evaluation metrics in the table and the comparison, with the best marked', async () => {
    const metrics = (ho: number, accE: number): ExperimentMetrics => ({
      evaluator: 'shapeworld-pixels',
      accE,
      accS: 0.9,
      accG: 0.25,
      ho,
      counts: { erasure: 4, preserved: 4, generalization: 4 },
      seeds: [1],
      evaluatedAt: Date.now(),
    })
    const repo = s.studio.services.experiments.repo(s.project)
    repo.setMetrics(one.id, metrics(0.812, 0.25))
    repo.setMetrics(two.id, metrics(0.7, 0.1))

    renderAt({ page: 'project', projectId: s.project.id })
    const experiments = await screen.findByRole('table', { name: 'Experiments' })
    expect(
      within(experiments).getByRole('button', {
        name: 'Sort by H_o, harmonic mean (higher is better)',
      }),
    ).toBeTruthy()
    expect(within(experiments).queryByRole('button', { name: /^Sort by D1/ })).toBeNull()
    const row = screen.getByRole('row', { name: 'Experiment 1: Five neighbors' })
    expect(within(row).getByText('81.2')).toBeTruthy()
    cleanup()

    renderAt({ page: 'compare', projectId: s.project.id, experimentIds: [one.id, two.id] })
    const results = await screen.findByRole('table', { name: 'Results compared' })
    expect(cellTexts(settingRow(results, 'H_o'))).toEqual(['81.2 % (best)', '70.0 %'])
    expect(cellTexts(settingRow(results, 'Acc_e'))).toEqual(['25.0 %', '10.0 % (best)'])
    expect(cellTexts(settingRow(results, 'Acc_s'))).toEqual(['90.0 %', '90.0 %'])
    expect(screen.queryByText(/None of these experiments has been evaluated yet/)).toBeNull()
  })
})
