import type { Envelope } from '../../../shared/errors'
import type { Transport } from './transport'

interface Incoming {
  type?: unknown
  id?: unknown
  envelope?: Envelope<unknown>
  name?: unknown
  payload?: unknown
}

/**
 * Browser mode: the same contract over a WebSocket to the loopback bridge. Calls made before
 * the socket opens wait for it; if it drops, pending calls fail with `unavailable` and the
 * transport reconnects.
 */
export function bridgeTransport(wsUrl: string): Transport {
  let socket: WebSocket | null = null
  let opened: Promise<WebSocket> | null = null
  let nextId = 1
  const pending = new Map<number, (e: Envelope<unknown>) => void>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()

  const connect = (): Promise<WebSocket> => {
    if (opened) return opened
    opened = new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl)
      ws.onopen = () => {
        socket = ws
        resolve(ws)
      }
      ws.onerror = () => reject(new Error('Cannot reach the studio bridge.'))
      ws.onclose = () => {
        socket = null
        opened = null
        for (const resolvePending of pending.values()) {
          resolvePending({ ok: false, error: { code: 'unavailable', message: 'Lost the connection to the studio; retrying.' } })
        }
        pending.clear()
        if (listeners.size > 0) setTimeout(() => void connect().catch(() => undefined), 1000)
      }
      ws.onmessage = (ev: MessageEvent<string>) => {
        const msg = JSON.parse(ev.data) as Incoming
        if (msg.type === 'result' && typeof msg.id === 'number' && msg.envelope) {
          pending.get(msg.id)?.(msg.envelope)
          pending.delete(msg.id)
        } else if (msg.type === 'event' && typeof msg.name === 'string') {
          listeners.get(msg.name)?.forEach((cb) => cb(msg.payload))
        }
      }
    })
    return opened
  }

  return {
    async invoke(name, input) {
      let ws: WebSocket
      try {
        ws = socket ?? (await connect())
      } catch (err) {
        return { ok: false, error: { code: 'unavailable', message: (err as Error).message } }
      }
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        ws.send(JSON.stringify({ type: 'invoke', id, name, input }))
      })
    },
    subscribe(name, cb) {
      let set = listeners.get(name)
      if (!set) {
        set = new Set()
        listeners.set(name, set)
      }
      set.add(cb)
      void connect().catch(() => undefined)
      return () => {
        set.delete(cb)
      }
    },
  }
}
