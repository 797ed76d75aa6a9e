import { utilityProcess } from 'electron'
import type { HostEntry, HostSpawner } from '../host/host-client'
import type { FromHost } from '../host/protocol'

/**
 * In Electron the host is a utilityProcess: a Node process with Electron's ABI (so the
 * rebuilt better-sqlite3 loads) and a crash boundary of its own.
 */
export function utilitySpawner(entry: HostEntry, env: NodeJS.ProcessEnv): HostSpawner {
  return () => {
    const child = utilityProcess.fork(entry.script, [], { env, serviceName: 'RealEra engine host', stdio: 'inherit' })
    return {
      get pid() {
        return child.pid
      },
      send: (m) => child.postMessage(m),
      onMessage: (cb) => child.on('message', (m: unknown) => cb(m as FromHost)),
      onExit: (cb) => child.on('exit', (code) => cb(code)),
      kill: () => {
        child.kill()
      },
    }
  }
}
