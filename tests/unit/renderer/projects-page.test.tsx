// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../../src/renderer/src/app/app'
import type { InProcessStudio } from './helpers/in-process-studio'
import { startInProcessStudio } from './helpers/in-process-studio'

let studio: InProcessStudio

beforeEach(() => {
  studio = startInProcessStudio()
})
afterEach(async () => {
  cleanup()
  await studio.close()
})

const renderApp = (): void => {
  render(<App client={studio.client} mediaQuery="" />)
}

async function openCreateDialog(): Promise<HTMLElement> {
  const buttons = await screen.findAllByRole('button', { name: 'New project' })
  fireEvent.click(buttons[0]!)
  return screen.findByRole('dialog', { name: 'New project' })
}

function typeName(dialog: HTMLElement, name: string): void {
  fireEvent.change(within(dialog).getByLabelText(/Project name/), { target: { value: name } })
}

const dialogClosed = (): Promise<void> =>
  waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())

const projectFolders = (): string[] =>
  existsSync(studio.projectsDir) ? readdirSync(studio.projectsDir).sort() : []

describe('projects page against the real host handlers', () => {
  it('starts empty and says what to do next', async () => {
    renderApp()
    expect(await screen.findByText('No projects yet')).toBeTruthy()
    expect(screen.getByRole('heading', { level: 1, name: 'Projects' })).toBeTruthy()
  })

  it('creates a project in the default location and lists it', async () => {
    renderApp()
    const dialog = await openCreateDialog()
    expect(within(dialog).getByText(studio.projectsDir)).toBeTruthy()
    typeName(dialog, 'Portraits')
    expect(within(dialog).getByText(path.join(studio.projectsDir, 'Portraits'))).toBeTruthy()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create project' }))

    await dialogClosed()
    const row = await screen.findByRole('row', { name: 'Portraits' })
    expect(within(row).getByText(path.join(studio.projectsDir, 'Portraits'))).toBeTruthy()
    expect(projectFolders()).toEqual(['Portraits'])
    expect(studio.services.projects.list().map((p) => p.name)).toEqual(['Portraits'])
  })

  it('explains a bad name while typing and keeps Create disabled', async () => {
    renderApp()
    const dialog = await openCreateDialog()
    const create = within(dialog).getByRole('button', { name: 'Create project' })
    typeName(dialog, 'a/b')
    expect(
      within(dialog).getByText('A project name cannot contain / or \\: it becomes a folder name.'),
    ).toBeTruthy()
    expect(create.hasAttribute('disabled')).toBe(true)
    typeName(dialog, '   ')
    expect(within(dialog).getByText('Give the project a name.')).toBeTruthy()
    typeName(dialog, 'ok name')
    expect(create.hasAttribute('disabled')).toBe(false)
    expect(projectFolders()).toEqual([])
  })

  it("shows the host's message for a duplicate name and creates nothing", async () => {
    await studio.client.invoke('projects.create', { name: 'Landscapes' })
    renderApp()
    await screen.findByRole('row', { name: 'Landscapes' })
    const dialog = await openCreateDialog()
    typeName(dialog, 'landscapes')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create project' }))
    const alert = await within(dialog).findByRole('alert')
    expect(alert.textContent).toContain(
      'A project named "landscapes" already exists. Choose another name.',
    )
    expect(projectFolders()).toEqual(['Landscapes'])
    expect(studio.services.projects.list()).toHaveLength(1)
  })

  it("shows the host's message for a folder it cannot write to", async () => {
    renderApp()
    const dialog = await openCreateDialog()
    typeName(dialog, 'Elsewhere')
    fireEvent.click(within(dialog).getByLabelText('Another folder'))
    fireEvent.change(within(dialog).getByLabelText('Parent folder'), {
      target: { value: '/proc/realera-x' },
    })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create project' }))
    const alert = await within(dialog).findByRole('alert')
    expect(alert.textContent).toContain('The folder /proc/realera-x is not writable.')
    expect(studio.services.projects.list()).toHaveLength(0)
  })

  it('renames a project and refuses a name already taken', async () => {
    await studio.client.invoke('projects.create', { name: 'One' })
    await studio.client.invoke('projects.create', { name: 'Two' })
    renderApp()
    fireEvent.click(await screen.findByRole('button', { name: 'Rename One' }))
    const dialog = await screen.findByRole('dialog', { name: 'Rename project' })
    typeName(dialog, 'Two')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rename' }))
    expect((await within(dialog).findByRole('alert')).textContent).toContain('already exists')
    typeName(dialog, 'Uno')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rename' }))
    await dialogClosed()
    expect(await screen.findByRole('row', { name: 'Uno' })).toBeTruthy()
    expect(screen.queryByRole('row', { name: 'One' })).toBeNull()
  })

  it('deletes from the list only unless the box is ticked', async () => {
    await studio.client.invoke('projects.create', { name: 'Keep files' })
    await studio.client.invoke('projects.create', { name: 'Remove files' })
    renderApp()

    fireEvent.click(await screen.findByRole('button', { name: 'Delete Keep files' }))
    let dialog = await screen.findByRole('dialog', { name: /Delete “Keep files”/ })
    const box = within(dialog).getByRole<HTMLInputElement>('checkbox', {
      name: 'Also delete the project folder and its files',
    })
    expect(box.checked).toBe(false)
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete project' }))
    await dialogClosed()
    expect(screen.queryByRole('row', { name: 'Keep files' })).toBeNull()
    expect(projectFolders()).toContain('Keep files')

    fireEvent.click(screen.getByRole('button', { name: 'Delete Remove files' }))
    dialog = await screen.findByRole('dialog', { name: /Delete “Remove files”/ })
    fireEvent.click(within(dialog).getByRole('checkbox'))
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete project and files' }))
    await dialogClosed()
    expect(await screen.findByText('No projects yet')).toBeTruthy()
    expect(projectFolders()).toEqual(['Keep files'])
  })

  it('opens a project and runs the verify job to the end', async () => {
    await studio.client.invoke('projects.create', { name: 'Checked' })
    renderApp()
    fireEvent.click(await screen.findByRole('button', { name: 'Open Checked' }))
    expect(await screen.findByRole('heading', { level: 1, name: 'Checked' })).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Verify project folder' }))
    const recent = await screen.findByRole('list', { name: 'Recent checks' })
    await waitFor(() => expect(within(recent).getByText('Succeeded')).toBeTruthy())
    await studio.services.jobs.idle()
    expect(studio.services.jobs.list()[0]?.state).toBe('succeeded')
  })
})
