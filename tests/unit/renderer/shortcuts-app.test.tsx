// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Project } from '../../../src/shared/contract'
import { App } from '../../../src/renderer/src/app/app'
import type { Route } from '../../../src/renderer/src/app/navigation'
import type { InProcessStudio } from './helpers/in-process-studio'
import { startInProcessStudio } from './helpers/in-process-studio'

let studio: InProcessStudio
let project: Project

beforeEach(async () => {
  studio = startInProcessStudio()
  project = await studio.client.invoke('projects.create', { name: 'Keys' })
})
afterEach(async () => {
  cleanup()
  await studio.services.jobs.idle()
  await studio.close()
})

const renderAt = (route: Route): void => {
  render(<App client={studio.client} mediaQuery="" initialRoute={route} />)
}

const key = (target: Element, k: string, mods: { ctrlKey?: boolean; shiftKey?: boolean } = {}) =>
  fireEvent.keyDown(target, { key: k, ...mods })

describe('keyboard shortcuts in the studio', () => {
  it('N opens a new experiment and G the generator from a project page', async () => {
    renderAt({ page: 'project', projectId: project.id })
    await screen.findByRole('heading', { level: 1, name: 'Keys' })
    key(document.body, 'n')
    expect(await screen.findByRole('heading', { level: 1, name: 'New experiment' })).toBeTruthy()
    // The new-experiment page does not offer G: the key does nothing there.
    key(document.body, 'g')
    expect(screen.getByRole('heading', { level: 1, name: 'New experiment' })).toBeTruthy()
    cleanup()

    renderAt({ page: 'project', projectId: project.id })
    await screen.findByRole('heading', { level: 1, name: 'Keys' })
    key(document.body, 'g')
    expect(await screen.findByRole('heading', { level: 1, name: 'Generate' })).toBeTruthy()
  })

  it('? lists the shortcuts, marking what this page offers; Esc closes the list', async () => {
    renderAt({ page: 'project', projectId: project.id })
    await screen.findByRole('heading', { level: 1, name: 'Keys' })
    key(document.body, '?', { shiftKey: true })
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' })
    const table = within(dialog).getByRole('table', { name: 'Keyboard shortcuts' })
    const row = (name: string) => within(table).getByRole('row', { name })
    expect(within(row('New experiment: N')).getByText('Project page')).toBeTruthy()
    expect(within(row('Settings: Ctrl+,')).getByText('Anywhere')).toBeTruthy()
    // Nothing is selected in the (empty) experiments table, so Compare is not on offer.
    expect(
      within(row('Compare the selected experiments: C')).getByText(/\(not on this page\)$/),
    ).toBeTruthy()
    // Keys typed inside the dialog do not reach the page behind it.
    key(within(dialog).getByRole('button', { name: 'Close' }), 'n')
    expect(screen.getByRole('heading', { level: 1, name: 'Keys', hidden: true })).toBeTruthy()
    key(dialog, 'Escape')
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())

    fireEvent.click(screen.getByRole('button', { name: 'Keyboard shortcuts' }))
    expect(await screen.findByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy()
  })

  it('ignores letters typed in a field; J toggles the jobs; Ctrl+, opens the settings', async () => {
    renderAt({ page: 'settings' })
    const field = (await screen.findAllByRole('textbox'))[0]!
    key(field, 'j')
    key(field, '?', { shiftKey: true })
    expect(screen.queryByRole('dialog')).toBeNull()

    key(document.body, 'j')
    const drawer = await screen.findByRole('dialog', { name: 'Jobs' })
    key(within(drawer).getByRole('button', { name: 'Close jobs' }), 'j')
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Jobs' })).toBeNull())

    const nav = screen.getByRole('navigation', { name: 'Main' })
    fireEvent.click(within(nav).getByRole('button', { name: 'Projects' }))
    await screen.findByRole('heading', { level: 1, name: 'Projects' })
    key(document.body, ',', { ctrlKey: true })
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeTruthy()
  })
})
