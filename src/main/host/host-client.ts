import type { ChildProcess } from 'node:child_process'
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { EventName, EventPayload } from '../../shared/contract'
import type { Envelope } from '../../shared/errors'
import type { FromHost, ToHost } from './protocol'

/** The parent's view of a host process, so Electron's utilityProcess can stand in for fork. */
export interface HostProcess {
  readonly pid: number | undefined
  send(message: ToHost): void
  onMessage(cb: (message: FromHost) => void): void
  onExit(cb: (code: number | null) => void): void
  kill(signal?: NodeJS.Signals): void
}

export type HostSpawner = () => HostProcess

export interface HostEntry {
  readonly script: string
  readonly execArgv: readonly string[]
}

/**
 * Where the host's entry is: next to the built main bundle (`out/main/host.js`), or the
 * TypeScript source run through tsx when we run from source (tests, dev:web, CLI).
 */
export function defaultHostEntry(): HostEntry {
  const built = path.join(__dirname, 'host.js')
  if (!__filename.endsWith('.ts') && existsSync(built)) return { script: built, execArgv: [] }
  const source = path.resolve(__dirname, '..', '..', '..', 'src', 'main', 'host', 'main.ts')
  return { script: source, execArgv: ['--import', 'tsx'] }
}

export function nodeSpawner(env: NodeJS.ProcessEnv, entry: HostEntry = defaultHostEntry()): HostSpawner {
  return () => {
    const child: ChildProcess = fork(entry.script, [], {
      env,
      execArgv: [...entry.execArgv],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    return {
      pid: child.pid,
      send: (m) => {
        if (child.connected) child.send(m)
      },
      onMessage: (cb) => child.on('message', (m) => cb(m as FromHost)),
      onExit: (cb) => child.on('exit', (code) => cb(code)),
      kill: (signal) => child.kill(signal),
    }
  }
}

type Listener = (payload: EventPayload<EventName>, name: EventName) => void

/**
 * Requests with ids, responses matched back, events fanned out. If the host dies, pending
 * requests fail with `unavailable` and (unless stopped) a new host is started: the new host
 * marks jobs the dead one left running as interrupted.
 */
export class HostClient {
  private proc: HostProcess | null = null
  private nextId = 1
  private readonly pending = new Map<number, (e: Envelope<unknown>) => void>()
  private readonly listeners = new Set<Listener>()
  private readyWaiters: (() => void)[] = []
  private isReady = false
  private stopped = false

  constructor(
    private readonly spawn: HostSpawner,
    private readonly options: { restartOnCrash: boolean } = { restartOnCrash: true },
  ) {}

  get pid(): number | undefined {
    return this.proc?.pid
  }

  start(): Promise<void> {
    this.stopped = false
    const proc = this.spawn()
    this.proc = proc
    this.isReady = false
    proc.onMessage((m) => this.receive(m))
    proc.onExit(() => this.onExit(proc))
    return this.ready()
  }

  ready(): Promise<void> {
    if (this.isReady) return Promise.resolve()
    return new Promise((resolve) => this.readyWaiters.push(resolve))
  }

  request(name: string, input: unknown): Promise<Envelope<unknown>> {
    const proc = this.proc
    if (!proc) {
      return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'The engine host is not running.' } })
    }
    const id = this.nextId++
    return new Promise((resolve) => {
      this.pending.set(id, resolve)
      proc.send({ type: 'request', id, name, input })
    })
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Kills the host (tests use SIGKILL to simulate a crash). */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.proc?.kill(signal)
  }

  async stop(): Promise<void> {
    this.stopped = true
    const proc = this.proc
    if (!proc) return
    await new Promise<void>((resolve) => {
      proc.onExit(() => resolve())
      proc.send({ type: 'shutdown' })
      setTimeout(() => proc.kill('SIGKILL'), 5000).unref()
    })
  }

  private receive(m: FromHost): void {
    switch (m.type) {
      case 'ready': {
        this.isReady = true
        const waiters = this.readyWaiters
        this.readyWaiters = []
        waiters.forEach((w) => w())
        return
      }
      case 'response': {
        const resolve = this.pending.get(m.id)
        this.pending.delete(m.id)
        resolve?.(m.envelope)
        return
      }
      case 'event':
        this.listeners.forEach((l) => l(m.payload, m.name))
        return
    }
  }

  private onExit(proc: HostProcess): void {
    if (this.proc !== proc) return
    this.proc = null
    this.isReady = false
    for (const resolve of this.pending.values()) {
      resolve({ ok: false, error: { code: 'unavailable', message: 'The engine host stopped unexpectedly and is restarting; try again.' } })
    }
    this.pending.clear()
    if (!this.stopped && this.options.restartOnCrash) void this.start()
  }
}
