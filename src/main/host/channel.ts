/**
 * The host's link to its parent: Electron's utilityProcess gives `process.parentPort`, a
 * `child_process.fork` gives `process.send`. Both carry structured-clonable messages.
 */
export interface ParentChannel {
  send(message: unknown): void
  onMessage(cb: (message: unknown) => void): void
}

interface ElectronParentPort {
  postMessage(message: unknown): void
  on(event: 'message', cb: (e: { data: unknown }) => void): void
}

export function parentChannel(): ParentChannel {
  const port = (process as unknown as { parentPort?: ElectronParentPort }).parentPort
  if (port) {
    return {
      send: (m) => port.postMessage(m),
      onMessage: (cb) => port.on('message', (e) => cb(e.data)),
    }
  }
  const send = process.send?.bind(process)
  if (!send) throw new Error('The engine host must be started by the studio (no parent channel).')
  return {
    send: (m) => {
      if (process.connected) send(m)
    },
    onMessage: (cb) => process.on('message', cb),
  }
}
