// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Experiment } from '../../../src/shared/contract'
import { App } from '../../../src/renderer/src/app/app'
import { eraseInput, runErase } from './helpers/erase-studio'
import { renderExperiment, useEraseStudio } from './helpers/erase-studio-suite'

const s = useEraseStudio()

const fullParams = (epochs: number): Record<string, unknown> => ({
  variant: 'full',
  m: 4,
  n: 4,
  epochs,
  learningRate: 3e-3,
  loraRank: 2,
  loraAlpha: 2,
  loraImages: 1,
})

const lossRegion = (): Promise<HTMLElement> =>
  screen.findByRole('region', { name: 'LoRA training loss' }, { timeout: 10_000 })

/** The held-out markers' [step, loss] pairs, as drawn. */
const evalPoints = (region: HTMLElement): [number, number][] =>
  Array.from(region.querySelectorAll('[data-series="eval"] circle')).map(
    (c) => (c.getAttribute('data-point') ?? '').split(',').map(Number) as [number, number],
  )

describe('LoRA loss chart on the experiment page, against the real host handlers', () => {
  it('plots a finished full-variant run: per-step loss and the held-out points', async () => {
    const exp: Experiment = await runErase(
      s,
      eraseInput(s, { params: fullParams(20), gallery: { enabled: false } }),
    )
    expect(exp.lossCurve).toHaveLength(20)
    expect(exp.evalCurve.length).toBeGreaterThanOrEqual(2)
    renderExperiment(s, exp)
    const region = await lossRegion()
    const chart = within(region).getByRole('img', { name: /^LoRA training loss over 20 of 20/ })
    expect(chart.querySelector('desc')?.textContent).toMatch(/^Held-out loss .* at step 0 → /)
    expect(evalPoints(region)).toEqual(exp.evalCurve)
    const train = region.querySelector('[data-series="train"] path')?.getAttribute('d') ?? ''
    expect(train.match(/[ML]/g)).toHaveLength(20)
    expect(
      within(region).getByText(/held-out loss on fixed timesteps shows the trend/i),
    ).toBeTruthy()
    expect(within(region).getByText('(log scale)', { exact: false })).toBeTruthy()
    // The log axis is a choice.
    const toggle = within(region).getByRole('switch', { name: 'Log scale' })
    fireEvent.click(toggle)
    expect(within(region).queryByText('(log scale)', { exact: false })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Resume training' })).toBeNull()
  })

  it('grows while training, then resumes a cancelled run from its checkpoint', async () => {
    const job = await s.studio.client.invoke(
      'jobs.start',
      eraseInput(s, { params: fullParams(60), gallery: { enabled: false } }),
    )
    render(
      <App
        client={s.studio.client}
        mediaQuery="?token=t0k"
        initialRoute={{ page: 'experiment', projectId: s.project.id, jobId: job.id }}
      />,
    )
    const region = await lossRegion()
    // Live: held-out points appear while the job still trains (refetched from its progress).
    await waitFor(() => expect(evalPoints(region).length).toBeGreaterThanOrEqual(2), {
      timeout: 30_000,
    })
    expect(s.studio.services.jobs.get(job.id).state).toBe('running')
    const run = screen.getByRole('region', { name: 'Run' })
    fireEvent.click(within(run).getByRole('button', { name: 'Cancel' }))
    const resume = await within(run).findByRole(
      'button',
      { name: 'Resume training' },
      {
        timeout: 30_000,
      },
    )
    expect(within(run).getByText(/resume training from its last checkpoint/)).toBeTruthy()
    const list = await s.studio.client.invoke('experiments.list', { projectId: s.project.id })
    const cancelled = list[0]!
    expect(cancelled.status).toBe('cancelled')

    fireEvent.click(resume)
    // The page follows the new job (a new route), so the regions are queried again.
    await screen.findByRole('listitem', { name: 'Train LoRA: running' }, { timeout: 30_000 })
    await screen.findByText(/^Finished in /, {}, { timeout: 120_000 })
    const { experiment } = await s.studio.client.invoke('experiments.get', {
      projectId: s.project.id,
      experimentId: cancelled.id,
    })
    expect(experiment.status).toBe('succeeded')
    expect(experiment.lossCurve).toHaveLength(60)
    expect(experiment.jobId).not.toBe(job.id)
    await waitFor(() =>
      expect(evalPoints(screen.getByRole('region', { name: 'LoRA training loss' }))).toEqual(
        experiment.evalCurve,
      ),
    )
  })
})
