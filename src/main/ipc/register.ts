import type { BrowserWindow } from 'electron'
import { dialog, ipcMain, shell } from 'electron'
import { IPC_EVENT_PREFIX, IPC_INVOKE } from '../../shared/contract/names'
import { StudioError } from '../../shared/errors'
import type { HostClient } from '../host/host-client'
import { createIpcAdapter, trustedUrlChecker } from './adapter'
import { locateInFolder } from './show-in-folder'

/**
 * The only place that touches ipcMain and webContents.send: requests go through the adapter
 * (sender check, schema, host), host events go to the window.
 */
export function registerIpc(opts: {
  host: HostClient
  window: () => BrowserWindow | null
  rendererFile: string
  devServerUrl: string | null
}): void {
  const adapter = createIpcAdapter({
    isTrustedUrl: trustedUrlChecker(opts.rendererFile, opts.devServerUrl),
    forward: (name, input) => opts.host.request(name, input),
    shell: {
      'shell.chooseFolder': async ({ title }) => {
        const win = opts.window()
        const options = { title: title ?? 'Choose a folder', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] }
        const res = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
        return { path: res.canceled ? null : (res.filePaths[0] ?? null) }
      },
      'shell.capabilities': () => Promise.resolve({ nativeDialogs: true, mediaBase: 'media://' }),
      'shell.showInFolder': async (input) => {
        const found = await locateInFolder((name, raw) => opts.host.request(name, raw), input)
        if (found.reveal === 'item') shell.showItemInFolder(found.path)
        else {
          const failure = await shell.openPath(found.path)
          if (failure) throw new StudioError('internal', `Could not open ${found.path}: ${failure}`)
        }
        return { path: found.path }
      },
    },
  })
  ipcMain.handle(IPC_INVOKE, (event, name: unknown, input: unknown) => {
    const frame = event.senderFrame
    const sender = frame ? { url: frame.url, isMainFrame: frame === event.sender.mainFrame } : null
    return adapter(sender, name, input)
  })
  opts.host.onEvent((payload, name) => {
    const win = opts.window()
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_PREFIX + name, payload)
  })
}
