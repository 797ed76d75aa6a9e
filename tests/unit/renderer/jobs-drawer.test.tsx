// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../../src/renderer/src/app/app'
import type { InProcessStudio } from './helpers/in-process-studio'
import { startInProcessStudio } from './helpers/in-process-studio'

/** How long a check may wait for a real job's progress or end. */
const JOB_WAIT = { timeout: 15_000 }

let studio: InProcessStudio

beforeEach(() => {
  studio = startInProcessStudio({ demoStepDelayMs: 150 })
})
afterEach(async () => {
  cleanup()
  await studio.services.jobs.idle()
  await studio.close()
})

async function projectWithFiles(name: string, files: number): Promise<string> {
  const project = await studio.client.invoke('projects.create', { name })
  for (let i = 0; i < files; i++)
    writeFileSync(path.join(project.dir, `file-${i}.txt`), `data ${i}`)
  return project.id
}

describe('jobs drawer against the real job service', () => {
  it('attaches to a job started before the window opened, shows progress, and cancels it', async () => {
    const projectId = await projectWithFiles('Running', 30)
    const started = await studio.client.invoke('jobs.start', { kind: 'verify-project', projectId })

    render(<App client={studio.client} mediaQuery="" />)
    const jobsButton = await screen.findByRole('button', { name: 'Jobs (1 active)' })
    fireEvent.click(jobsButton)
    const drawer = await screen.findByRole('dialog', { name: 'Jobs' })
    const item = within(drawer).getByRole('listitem', { name: started.title })

    const bar = await within(item).findByRole('progressbar', {
      name: `Progress of ${started.title}`,
    })
    await waitFor(
      () => expect(Number(bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0),
      JOB_WAIT,
    )
    const first = Number(bar.getAttribute('aria-valuenow'))
    await waitFor(
      () => expect(Number(bar.getAttribute('aria-valuenow'))).toBeGreaterThan(first),
      JOB_WAIT,
    )
    // 30 files plus the project database's own files.
    expect(within(item).getByText(/^Checking files · \d+ \/ 3\d · about \d+ s left$/)).toBeTruthy()

    fireEvent.click(within(item).getByRole('button', { name: `Cancel ${started.title}` }))
    await waitFor(() => expect(within(item).getByText('Cancelled')).toBeTruthy(), JOB_WAIT)
    expect(within(item).queryByRole('progressbar')).toBeNull()
    expect(within(item).getByText(/^Cancelled at step \d+ of 3\d\.$/)).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Jobs', hidden: true })).toBeTruthy()
    expect(studio.services.jobs.get(started.id).state).toBe('cancelled')
  })

  it('picks up a job it has never seen from its events', async () => {
    const projectId = await projectWithFiles('Later', 2)
    render(<App client={studio.client} mediaQuery="" />)
    fireEvent.click(await screen.findByRole('button', { name: 'Jobs' }))
    const drawer = await screen.findByRole('dialog', { name: 'Jobs' })
    expect(await within(drawer).findByText('No jobs yet')).toBeTruthy()

    // Started behind the window's back (as another window or the CLI would).
    const started = await studio.client.invoke('jobs.start', { kind: 'verify-project', projectId })
    const item = await within(drawer).findByRole('listitem', { name: started.title })
    // A real job runs to its end here: on a loaded machine that can take longer than the default
    // 1 s of waitFor (it failed so once, while a training run shared the two cores).
    await waitFor(() => expect(within(item).getByText('Succeeded')).toBeTruthy(), JOB_WAIT)
    expect(within(item).getByText(/^Finished in /)).toBeTruthy()
  })
})
