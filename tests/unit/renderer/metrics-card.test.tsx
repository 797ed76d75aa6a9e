// @vitest-environment happy-dom
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { CommandInput, ExperimentMetrics } from '../../../src/shared/contract'
import { eraseInput, runErase } from './helpers/erase-studio'
import { renderExperiment, useEraseStudio } from './helpers/erase-studio-suite'

const s = useEraseStudio()

/** Erasing the ShapeWorld colour red; no gallery, and 2 steps for the evaluation's images. */
const eraseRed = (): CommandInput<'jobs.start'> => {
  const input = eraseInput(s, { gallery: { enabled: false, steps: 2 } })
  if (input.kind !== 'erase') throw new Error('expected an erase input')
  return {
    ...input,
    spec: {
      preset: 'custom',
      concepts: [{ concept: 'red', anchor: '', templates: ['a photo of a {} circle'] }],
      preserve: [],
      probes: [],
    },
  }
}

const card = (): Promise<HTMLElement> =>
  screen.findByRole('region', { name: 'Evaluation' }, { timeout: 10_000 })

describe('evaluation card on the experiment page, against the real host handlers', () => {
  it('evaluates on request: empty state, progress, then the metrics and what they measured', async () => {
    const exp = await runErase(s, eraseRed())
    renderExperiment(s, exp)
    const region = await card()
    expect(within(region).getByText('Not evaluated yet')).toBeTruthy()
    const settings = within(region).getByRole('button', { name: 'Settings' })
    expect(settings.getAttribute('aria-expanded')).toBe('false')
    fireEvent.click(settings)
    expect(settings.getAttribute('aria-expanded')).toBe('true')
    fireEvent.change(within(region).getByRole('textbox', { name: 'Seeds' }), {
      target: { value: '1' },
    })
    expect(
      within(region).getByText(/^Judges the concept read from the experiment, seeds 1\./),
    ).toBeTruthy()
    fireEvent.click(within(region).getByRole('button', { name: 'Evaluate' }))
    await within(region).findByText(/^Drawing and judging images · \d+ \/ 73 images$/, undefined, {
      timeout: 20_000,
    })
    expect(within(region).getByRole('button', { name: 'Cancel' })).toBeTruthy()

    const tiles = await within(region).findByRole('list', { name: 'Metrics' }, { timeout: 60_000 })
    const labels = within(tiles)
      .getAllByRole('listitem')
      .map((li) => li.getAttribute('aria-label'))
    expect(labels).toHaveLength(4)
    expect(labels[0]).toMatch(/^Acc_e \d+\.\d %, lower is better$/)
    expect(labels[1]).toMatch(/^Acc_s \d+\.\d %, higher is better$/)
    expect(labels[2]).toMatch(/^Acc_g \d+\.\d %, lower is better$/)
    expect(labels[3]).toMatch(/^H_o \d+\.\d %, higher is better$/)
    const details = within(region).getByLabelText('How the metrics were measured')
    expect(within(details).getByText('red')).toBeTruthy()
    expect(
      within(details).getByText('10 erasure · 50 preserved · 13 generalization (73 images)'),
    ).toBeTruthy()
    expect(within(details).getByText('shapeworld-pixels')).toBeTruthy()
    expect(within(details).getByText('2 steps · guidance 7.5 · DDIM · 64 × 64 px')).toBeTruthy()
    expect(within(region).getByRole('button', { name: 'Evaluate again' })).toBeTruthy()
    expect(s.studio.services.experiments.get(s.project, exp.id).experiment.metrics?.seeds).toEqual([
      1,
    ])
  })

  it('says why a concept cannot be judged and how to fix it', async () => {
    const exp = await runErase(s, eraseInput(s, { gallery: { enabled: false } }))
    renderExperiment(s, exp)
    const region = await card()
    fireEvent.click(within(region).getByRole('button', { name: 'Evaluate' }))
    const alert = await within(region).findByRole('alert')
    expect(alert.textContent).toMatch(
      /^Could not start the evaluation\. Experiment 1 erases “van gogh”, which names no ShapeWorld colour/,
    )
    expect(alert.textContent).toMatch(/under “Settings” on the experiment’s Evaluation card/)
  })

  it('cancels a running evaluation and keeps the metrics from before', async () => {
    const exp = await runErase(s, eraseRed())
    const before: ExperimentMetrics = {
      evaluator: 'shapeworld-pixels',
      accE: 0.125,
      accS: 0.9,
      accG: 0.25,
      ho: 0.83,
      counts: { erasure: 10, preserved: 50, generalization: 13 },
      seeds: [9],
      evaluatedAt: 1_000,
    }
    s.studio.services.experiments.repo(s.project).setMetrics(exp.id, before)
    renderExperiment(s, exp)
    const region = await card()
    await within(region).findByRole('listitem', { name: 'Acc_e 12.5 %, lower is better' })
    fireEvent.click(within(region).getByRole('button', { name: 'Evaluate again' }))
    const cancel = await within(region).findByRole(
      'button',
      { name: 'Cancel' },
      { timeout: 20_000 },
    )
    await within(region).findByText(
      /^Drawing and judging images · [1-9]\d* \/ 292 images$/,
      undefined,
      { timeout: 20_000 },
    )
    fireEvent.click(cancel)
    await within(region).findByText(
      'The last evaluation was cancelled. The metrics below are from the evaluation before.',
      undefined,
      { timeout: 20_000 },
    )
    expect(
      within(region).getByRole('listitem', { name: 'Acc_e 12.5 %, lower is better' }),
    ).toBeTruthy()
    await waitFor(() =>
      expect(s.studio.services.experiments.get(s.project, exp.id).experiment.metrics).toEqual(
        before,
      ),
    )
  })
})
