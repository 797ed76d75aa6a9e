// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Experiment, ExportRecord } from '../../../src/shared/contract'
import { parseCommandInput } from '../../../src/shared/contract'
import { toErrorInfo } from '../../../src/shared/errors'
import { createHandlers, dispatch } from '../../../src/main/host/dispatch'
import type { FolderTarget, HostRequest } from '../../../src/main/ipc/show-in-folder'
import { locateInFolder } from '../../../src/main/ipc/show-in-folder'
import { createClient } from '../../../src/renderer/src/api/client'
import type { Transport } from '../../../src/renderer/src/api/transport'
import { App } from '../../../src/renderer/src/app/app'
import type { Route } from '../../../src/renderer/src/app/navigation'
import type { EraseStudio } from './helpers/erase-studio'
import { eraseInput, runErase, startEraseStudio, writeTinyModel } from './helpers/erase-studio'

let tiny: { dir: string; remove: () => void }
let s: EraseStudio
let exp: Experiment
let record: ExportRecord
let request: HostRequest
const shown: FolderTarget[] = []

beforeAll(async () => {
  tiny = await writeTinyModel()
  s = await startEraseStudio(tiny.dir)
  const handlers = createHandlers(s.studio.services)
  request = (name, input) => dispatch(handlers, name, input)
  exp = await runErase(s, eraseInput(s, { gallery: { enabled: false } }))
  const job = await s.studio.client.invoke('jobs.start', {
    kind: 'export',
    projectId: s.project.id,
    experimentId: exp.id,
    options: { format: 'kohya', rank: 2, dtype: 'fp16', fullRank: false },
    out: 'exports/edit.safetensors',
  })
  await s.studio.services.jobs.idle()
  const done = s.studio.services.jobs.get(job.id)
  expect(done.state).toBe('succeeded')
  record = done.result as ExportRecord
})
afterAll(async () => {
  await s.studio.close()
  tiny.remove()
})
afterEach(cleanup)

/**
 * The desktop shell as Electron main serves it (register.ts), minus Electron's own
 * `shell.showItemInFolder`: the target is resolved by the real code against the real host
 * handlers and recorded instead of opened.
 */
function desktopClient() {
  const transport: Transport = {
    async invoke(name, input) {
      if (name === 'shell.capabilities') {
        return { ok: true, value: { nativeDialogs: true, mediaBase: 'media://' } }
      }
      if (name === 'shell.showInFolder') {
        try {
          const parsed = parseCommandInput('shell.showInFolder', input)
          const found = await locateInFolder(request, parsed)
          shown.push(found)
          return { ok: true, value: { path: found.path } }
        } catch (err) {
          return { ok: false, error: toErrorInfo(err) }
        }
      }
      return s.studio.transport.invoke(name, input)
    },
    subscribe: (name, cb) => s.studio.transport.subscribe(name, cb),
  }
  return createClient(transport)
}

const renderAt = (route: Route, desktop: boolean): void => {
  const client = desktop ? desktopClient() : s.studio.client
  render(<App client={client} mediaQuery="" initialRoute={route} />)
}

describe('shell.showInFolder resolves only what the studio wrote, through the real host', () => {
  it('opens the project folder, and selects an experiment’s edit file or an export', async () => {
    const projectId = s.project.id
    expect(await locateInFolder(request, { projectId, target: { kind: 'project' } })).toEqual({
      reveal: 'folder',
      path: s.project.dir,
    })
    expect(
      await locateInFolder(request, {
        projectId,
        target: { kind: 'experiment', experimentId: exp.id },
      }),
    ).toEqual({
      reveal: 'item',
      path: path.join(s.project.dir, 'experiments', '1', 'edit.safetensors'),
    })
    expect(
      await locateInFolder(request, { projectId, target: { kind: 'export', exportId: record.id } }),
    ).toEqual({ reveal: 'item', path: path.join(s.project.dir, 'exports', 'edit.safetensors') })
  })

  it('refuses unknown projects, experiments and exports, and files that are gone', async () => {
    const projectId = s.project.id
    await expect(
      locateInFolder(request, { projectId: 'nope', target: { kind: 'project' } }),
    ).rejects.toMatchObject({ code: 'not-found' })
    await expect(
      locateInFolder(request, { projectId, target: { kind: 'export', exportId: 'nope' } }),
    ).rejects.toMatchObject({ code: 'not-found', message: 'This export is no longer recorded.' })
    await expect(
      locateInFolder(request, { projectId, target: { kind: 'experiment', experimentId: 'nope' } }),
    ).rejects.toMatchObject({ code: 'not-found' })
    rmSync(record.path)
    await expect(
      locateInFolder(request, { projectId, target: { kind: 'export', exportId: record.id } }),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: `${record.path} no longer exists: it was moved or deleted.`,
    })
  })
})

describe('show in folder buttons', () => {
  it('opens the file manager at the experiment’s edit file and the project folder', async () => {
    renderAt({ page: 'experiment', projectId: s.project.id, experimentId: exp.id }, true)
    fireEvent.click(await screen.findByRole('button', { name: 'Show in folder' }))
    const edit = path.join(s.project.dir, 'experiments', '1', 'edit.safetensors')
    await waitFor(() => expect(shown).toEqual([{ reveal: 'item', path: edit }]))
    cleanup()

    renderAt({ page: 'project', projectId: s.project.id }, true)
    fireEvent.click(await screen.findByRole('button', { name: 'Open folder' }))
    await waitFor(() => expect(shown[1]).toEqual({ reveal: 'folder', path: s.project.dir }))

    rmSync(edit)
    cleanup()
    renderAt({ page: 'experiment', projectId: s.project.id, experimentId: exp.id }, true)
    fireEvent.click(await screen.findByRole('button', { name: 'Show in folder' }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain(`${edit} no longer exists: it was moved or deleted.`)
    expect(shown).toHaveLength(2)
  })

  it('offers nothing in a browser, which has no file manager to open', async () => {
    let answered = 0
    const browser: Transport = {
      invoke: async (name, input) => {
        const res = await s.studio.transport.invoke(name, input)
        if (name === 'shell.capabilities') answered++
        return res
      },
      subscribe: (name, cb) => s.studio.transport.subscribe(name, cb),
    }
    render(
      <App
        client={createClient(browser)}
        mediaQuery=""
        initialRoute={{ page: 'experiment', projectId: s.project.id, experimentId: exp.id }}
      />,
    )
    await screen.findByRole('button', { name: 'Duplicate' })
    // Every capabilities answer (nativeDialogs: false) has been rendered: still no button.
    await waitFor(() => expect(answered).toBeGreaterThanOrEqual(2))
    expect(screen.queryByRole('button', { name: 'Show in folder' })).toBeNull()
  })
})
