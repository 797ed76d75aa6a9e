import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { StudioClient } from '../../../../src/renderer/src/api/client'
import { createClient } from '../../../../src/renderer/src/api/client'
import type { MemoryTransport } from '../../../../src/renderer/src/api/memory-transport'
import { memoryTransport } from '../../../../src/renderer/src/api/memory-transport'
import { createHandlers, dispatch } from '../../../../src/main/host/dispatch'
import type { HostConfig } from '../../../../src/main/host/host-config'
import type { Services } from '../../../../src/main/host/services'
import { createServices } from '../../../../src/main/host/services'
import type { Envelope } from '../../../../src/shared/errors'
import { toErrorInfo } from '../../../../src/shared/errors'
import { browserHasNoFileManager } from '../../../../src/main/bridge/bridge-server'

export interface InProcessStudio {
  readonly root: string
  readonly projectsDir: string
  readonly services: Services
  readonly transport: MemoryTransport
  readonly client: StudioClient
  close(): Promise<void>
}

/**
 * The real host services and handlers, in this process, behind the in-memory transport: what
 * the renderer sees is what the engine host would answer. Shell commands get the bridge's
 * answers (no native dialogs).
 */
export function startInProcessStudio(options: { demoStepDelayMs?: number } = {}): InProcessStudio {
  const root = mkdtempSync(path.join(os.tmpdir(), 'realera-renderer-'))
  const config: HostConfig = {
    dataDir: path.join(root, 'data'),
    defaultProjectsDir: path.join(root, 'projects'),
    demoStepDelayMs: options.demoStepDelayMs ?? 0,
    runtime: 'node',
    version: '0.0.0-test',
  }
  let transport: MemoryTransport | null = null
  const services = createServices(config, (event) => transport?.emit('job', event))
  const handlers = createHandlers(services)
  const route = async (name: string, input: unknown): Promise<Envelope<unknown>> => {
    if (name === 'shell.capabilities') {
      return { ok: true, value: { nativeDialogs: false, mediaBase: 'http://127.0.0.1/media' } }
    }
    if (name === 'shell.chooseFolder') return { ok: true, value: { path: null } }
    if (name === 'shell.showInFolder') return { ok: false, error: toErrorInfo(browserHasNoFileManager()) }
    return dispatch(handlers, name, input)
  }
  transport = memoryTransport(route)
  return {
    root,
    projectsDir: config.defaultProjectsDir,
    services,
    transport,
    client: createClient(transport),
    async close() {
      await services.close()
      rmSync(root, { recursive: true, force: true })
    },
  }
}
