import { contextBridge, ipcRenderer, webUtils } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { IPC_EVENT_PREFIX, IPC_INVOKE, commandNames, eventNames } from '../shared/contract/names'
import type { Envelope } from '../shared/errors'
import type { StudioApi } from './api'

const commandSet: ReadonlySet<string> = new Set(commandNames)
const eventSet: ReadonlySet<string> = new Set(eventNames)

const refuse = (name: string): Envelope<unknown> => ({
  ok: false,
  error: { code: 'unknown-command', message: `Unknown command ${JSON.stringify(name)}.` },
})

/** A narrow bridge: invoke a contract command, subscribe to a contract event, and undo it. */
const api: StudioApi = {
  invoke: (name, input) =>
    commandSet.has(name)
      ? (ipcRenderer.invoke(IPC_INVOKE, name, input) as Promise<Envelope<unknown>>)
      : Promise.resolve(refuse(name)),
  subscribe: (name, cb) => {
    if (!eventSet.has(name)) throw new Error(`Unknown event ${JSON.stringify(name)}.`)
    const channel = IPC_EVENT_PREFIX + name
    const listener = (_e: IpcRendererEvent, payload: unknown): void => cb(payload)
    ipcRenderer.on(channel, listener)
    return () => {
      ipcRenderer.removeListener(channel, listener)
    }
  },
  pathForFile: (file) => {
    try {
      return webUtils.getPathForFile(file)
    } catch {
      return ''
    }
  },
}

contextBridge.exposeInMainWorld('studio', api)
