import type { StudioApi } from '../../../preload/api'
import type { Transport } from './transport'

/** Electron: the preload's `window.studio`. */
export function ipcTransport(api: StudioApi): Transport {
  return {
    invoke: (name, input) => api.invoke(name, input),
    subscribe: (name, cb) => api.subscribe(name, cb),
  }
}
