import type { EventName, JobEvent } from '../../shared/contract'
import { demoOptionsFromEnv, ensureDemoProject } from '../services/demo-project'
import { createHandlers, dispatch } from './dispatch'
import { parentChannel } from './channel'
import { hostConfigFromEnv } from './host-config'
import type { FromHost } from './protocol'
import { isToHost } from './protocol'
import { createServices } from './services'

/**
 * Engine host entry: owns every SQLite connection and ONNX Runtime session, serves requests
 * from its parent, and pushes job events. Started by Electron main (utilityProcess), by the
 * bridge and by tests (child_process.fork).
 */
function main(): void {
  const channel = parentChannel()
  const send = (m: FromHost): void => channel.send(m)
  const emit = (payload: JobEvent): void => {
    const name: EventName = 'job'
    send({ type: 'event', name, payload })
  }
  const services = createServices(hostConfigFromEnv(), emit)
  const handlers = createHandlers(services)

  channel.onMessage((m) => {
    if (!isToHost(m)) return
    if (m.type === 'shutdown') {
      void services.close().finally(() => process.exit(0))
      return
    }
    void dispatch(handlers, m.name, m.input).then((envelope) => send({ type: 'response', id: m.id, envelope }))
  })
  process.on('disconnect', () => {
    void services.close().finally(() => process.exit(0))
  })
  // First start only: the demo project is in the list before the host says it is ready.
  void ensureDemoProject(services, demoOptionsFromEnv()).finally(() => send({ type: 'ready', pid: process.pid }))
}

main()
