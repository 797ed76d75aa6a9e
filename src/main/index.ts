import { app, BrowserWindow, session } from 'electron'
import path from 'node:path'
import type { Project } from '../shared/contract'
import { defaultHostEntry, HostClient } from './host/host-client'
import { registerIpc } from './ipc/register'
import { utilitySpawner } from './ipc/utility-host'
import { handleMediaProtocol, registerMediaScheme } from './protocol'
import { createMainWindow, rendererFile } from './window'

/** App lifecycle only: start the engine host, the window, IPC and the media protocol. */
const devServerUrl = process.env.ELECTRON_RENDERER_URL ?? null
let mainWindow: BrowserWindow | null = null

registerMediaScheme()
app.enableSandbox()

void app.whenReady().then(async () => {
  const env = {
    ...process.env,
    REALERA_RUNTIME: 'electron',
    REALERA_VERSION: app.getVersion(),
    REALERA_DATA_DIR: process.env.REALERA_DATA_DIR ?? app.getPath('userData'),
    REALERA_PROJECTS_DIR: process.env.REALERA_PROJECTS_DIR ?? path.join(app.getPath('documents'), 'RealEra Projects'),
  }
  const host = new HostClient(utilitySpawner(defaultHostEntry(), env))
  await host.start()

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  handleMediaProtocol(async (id) => {
    const res = await host.request('projects.list', {})
    return res.ok ? ((res.value as Project[]).find((p) => p.id === id)?.dir ?? null) : null
  })
  registerIpc({ host, window: () => mainWindow, rendererFile: rendererFile(), devServerUrl })
  mainWindow = createMainWindow(devServerUrl)
  mainWindow.on('closed', () => (mainWindow = null))

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow(devServerUrl)
  })
  app.on('before-quit', () => void host.stop())
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
