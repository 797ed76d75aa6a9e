// @vitest-environment happy-dom
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { eraseInput, runErase } from './helpers/erase-studio'
import { renderExperiment, useEraseStudio } from './helpers/erase-studio-suite'

const s = useEraseStudio()

/** The definition list's value for a term. */
const valueOf = (list: HTMLElement, term: string): string | null => {
  const dt = Array.from(list.querySelectorAll('dt')).find((d) => d.textContent === term)
  return dt?.nextElementSibling?.textContent ?? null
}

describe('experiment page against the real host handlers', () => {
  it('shows a finished run: stages, every parameter, and the gallery in pairs by media URL', async () => {
    const exp = await runErase(s, eraseInput(s))
    renderExperiment(s, exp)
    expect(await screen.findByRole('heading', { level: 1, name: 'Erase van gogh' })).toBeTruthy()
    const run = screen.getByRole('region', { name: 'Run' })
    for (const stage of [
      'Load model',
      'Encode prompts',
      'Mine neighbors',
      'Solve closed form',
      'Render gallery',
    ]) {
      expect(within(run).getByRole('listitem', { name: `${stage}: done` })).toBeTruthy()
    }
    expect(within(run).getByText(/^Finished in /)).toBeTruthy()

    const params = screen.getByRole('region', { name: 'Parameters' })
    expect(valueOf(params, 'M')).toBe('5')
    expect(valueOf(params, 'N')).toBe('5')
    expect(valueOf(params, 'S2')).toBe('0.8')
    expect(valueOf(params, 'Seed')).toBe('0')
    expect(valueOf(params, 'Variant')).toBe('+ beyond-concept regularization (stage 1)')
    expect(valueOf(params, 'Gallery seeds')).toBe('1')
    expect(valueOf(params, 'Size')).toBe('64 × 64')
    expect(valueOf(params, 'Points')).toContain('5 neighbor')
    expect(valueOf(params, 'Timings')).toMatch(/Mine neighbors \d/)
    expect(valueOf(params, 'Edit file')).toBe('experiments/1/edit.safetensors')

    const { gallery } = await s.studio.client.invoke('experiments.get', {
      projectId: s.project.id,
      experimentId: exp.id,
    })
    expect(gallery).toHaveLength(6)
    const erasure = await screen.findByRole('list', { name: 'Erasure pairs' })
    const pair = within(erasure).getByRole('button', {
      name: 'Compare: a painting in the style of van gogh, seed 1',
    })
    const original = gallery.find((g) => g.group === 'erasure' && g.role === 'original')!
    const erased = gallery.find((g) => g.group === 'erasure' && g.role === 'erased')!
    const url = (p: string): string => `http://127.0.0.1/media/${s.project.id}/${p}?token=t0k`
    expect(
      within(pair)
        .getByAltText(/^Original: /)
        .getAttribute('src'),
    ).toBe(url(original.path))
    expect(
      within(pair)
        .getByAltText(/^Erased: /)
        .getAttribute('src'),
    ).toBe(url(erased.path))
    expect(
      within(screen.getByRole('list', { name: 'Probe (associated) pairs' })).getAllByRole(
        'listitem',
      ),
    ).toHaveLength(1)
    expect(
      within(screen.getByRole('list', { name: 'Preserved pairs' })).getAllByRole('listitem'),
    ).toHaveLength(1)

    fireEvent.click(pair)
    const dialog = await screen.findByRole('dialog', { name: /^Compare/ })
    expect(within(dialog).getByText(/Erasure · seed 1 · 1 of 3/)).toBeTruthy()
    const slider = within(dialog).getByRole('slider', { name: 'Split between original and erased' })
    expect(screen.getByTestId('before-layer').style.clipPath).toMatch(/50%/)
    fireEvent.change(slider, { target: { value: '70' } })
    expect(screen.getByTestId('before-layer').style.clipPath).toMatch(/30%/)
    fireEvent.click(within(dialog).getByRole('button', { name: 'Next' }))
    expect(within(dialog).getByText(/Probe \(associated\) · seed 1 · 2 of 3/)).toBeTruthy()
  })

  it('exports a kohya LoRA after previewing the per-layer error, and lists it', async () => {
    const exp = await runErase(s, eraseInput(s, { gallery: { enabled: false } }))
    renderExperiment(s, exp)
    fireEvent.click(await screen.findByRole('button', { name: 'Export…' }))
    const dialog = await screen.findByRole('dialog', { name: /^Export experiment 1/ })
    const table = within(dialog).getByRole('table', { name: 'Relative error per layer' })
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(13), {
      timeout: 5000,
    })
    expect(within(dialog).getByText(/raise the rank or use full-rank/)).toBeTruthy()
    const out = within(dialog).getByLabelText<HTMLInputElement>('Save to')
    expect(out.value).toBe('exports/1-kohya.safetensors')
    expect(within(dialog).getByText(/^None yet/)).toBeTruthy()

    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Full-rank .diff (kohya)' }))
    await waitFor(() => expect(within(dialog).queryByText(/raise the rank/)).toBeNull(), {
      timeout: 5000,
    })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    const saved = await within(dialog).findByText('Saved: Kohya LoRA', {}, { timeout: 10_000 })
    const file = path.join(s.project.dir, 'exports', '1-kohya.safetensors')
    expect(existsSync(file)).toBe(true)
    const result = saved.closest('[role="status"]') as HTMLElement
    expect(valueOf(result, 'Path')).toBe(file)
    expect(valueOf(result, 'SHA-256')).toMatch(/^[0-9a-f]{64}$/)
    const [record] = await s.studio.client.invoke('exports.list', {
      projectId: s.project.id,
      experimentId: exp.id,
    })
    expect(record?.bytes).toBe(statSync(file).size)
    expect(record?.rank).toBeNull()
    const history = await within(dialog).findByRole('table', { name: 'Previous exports' })
    expect(within(history).getByText('Kohya LoRA')).toBeTruthy()

    fireEvent.click(within(dialog).getByRole('radio', { name: /Merged model/ }))
    expect(out.value).toBe('exports/1-merged/')
  })

  it('deletes an experiment after confirmation and returns to the project', async () => {
    const exp = await runErase(s, eraseInput(s, { gallery: { enabled: false } }))
    renderExperiment(s, exp)
    fireEvent.click(await screen.findByRole('button', { name: 'Delete' }))
    const dialog = await screen.findByRole('dialog', { name: /Delete experiment 1/ })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete experiment' }))
    expect(await screen.findByText('No experiments yet')).toBeTruthy()
    expect(await s.studio.client.invoke('experiments.list', { projectId: s.project.id })).toEqual(
      [],
    )
    expect(existsSync(path.join(s.project.dir, 'experiments', '1'))).toBe(false)
  })
})
