import { BrowserWindow, shell } from 'electron'
import path from 'node:path'

/**
 * The one window: sandboxed, context-isolated, no Node in the page, navigation and new windows
 * denied (links to the web open in the user's browser instead).
 */
export function createMainWindow(devServerUrl: string | null): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'RealEra Studio',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event) => event.preventDefault())
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())
  if (devServerUrl) void win.loadURL(devServerUrl)
  else void win.loadFile(rendererFile())
  return win
}

export const rendererFile = (): string => path.join(__dirname, '../renderer/index.html')
