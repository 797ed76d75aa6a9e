// @vitest-environment happy-dom
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { eraseInput, runErase } from './helpers/erase-studio'
import { renderExperiment, useEraseStudio } from './helpers/erase-studio-suite'

const s = useEraseStudio()

const mapRegion = (): Promise<HTMLElement> =>
  screen.findByRole('region', { name: 'Embedding map' }, { timeout: 10_000 })

describe('embedding map section on the experiment page, against the real host handlers', () => {
  it('says what to do when the experiment has no points', async () => {
    const job = await s.studio.client.invoke(
      'jobs.start',
      eraseInput(s, { params: { m: 5_000_000 }, gallery: { enabled: false } }),
    )
    await waitFor(() => expect(s.studio.services.jobs.get(job.id).progress).not.toBeNull())
    await s.studio.client.invoke('jobs.cancel', { jobId: job.id })
    await s.studio.services.jobs.idle()
    const exp = s.studio.services.experiments.list(s.project)[0]!
    expect(exp.status).toBe('cancelled')
    renderExperiment(s, exp)
    const region = await mapRegion()
    expect(await within(region).findByText('No points yet')).toBeTruthy()
    expect(within(region).getByText(/Run this experiment/)).toBeTruthy()
    expect(within(region).queryByRole('button', { name: 'Export the map as SVG' })).toBeNull()
  })

  it('shows the layers as pressed toggles, both named panels, and computes UMAP on request', async () => {
    const exp = await runErase(s, eraseInput(s, { gallery: { enabled: false } }))
    renderExperiment(s, exp)
    const region = await mapRegion()
    const layers = await within(region).findByRole('group', { name: 'Layers' })
    const neighbors = within(layers).getByRole('button', { name: 'Neighbors (5)' })
    expect(neighbors.getAttribute('aria-pressed')).toBe('true')
    fireEvent.click(neighbors)
    expect(neighbors.getAttribute('aria-pressed')).toBe('false')
    fireEvent.click(neighbors)
    expect(neighbors.getAttribute('aria-pressed')).toBe('true')
    // No preserved-unconditional point; probes and preserved from the spec.
    expect(within(layers).getByRole('button', { name: 'Probes (1)' })).toBeTruthy()
    expect(
      within(layers).getByRole('button', { name: 'D1 and D2 rings' }).getAttribute('aria-pressed'),
    ).toBe('true')
    expect(
      within(region).getByRole('figure', { name: /^PCA projection \(approximate\)/ }),
    ).toBeTruthy()
    expect(
      within(region).getByRole('figure', { name: /^Distance vs cosine \(exact\)/ }),
    ).toBeTruthy()
    for (const name of ['Export the map as SVG', 'Export the map as PNG']) {
      expect(within(region).getByRole('button', { name }).tagName).toBe('BUTTON')
    }

    fireEvent.click(within(region).getByRole('button', { name: 'UMAP' }))
    const panel = within(region).getByRole('region', { name: 'UMAP layout' })
    expect(within(panel).getByText(/seeded with the experiment’s seed \(0\)/)).toBeTruthy()
    fireEvent.click(within(panel).getByRole('button', { name: 'Compute UMAP layout' }))
    expect(
      await within(region).findByRole(
        'figure',
        { name: /^UMAP layout \(approximate\)/ },
        { timeout: 30_000 },
      ),
    ).toBeTruthy()
    expect(within(layers).queryByRole('button', { name: 'D1 and D2 rings' })).toBeNull()
    const map = await s.studio.client.invoke('experiments.map', {
      projectId: s.project.id,
      experimentId: exp.id,
    })
    expect(map.umap?.xy).toHaveLength(map.points.length * 2)
  })
})
