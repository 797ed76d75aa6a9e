import type { EventName, EventPayload } from '../../shared/contract'
import type { Envelope } from '../../shared/errors'

/** Messages between a host client (main, bridge, tests) and the engine host process. */
export type ToHost =
  | { readonly type: 'request'; readonly id: number; readonly name: string; readonly input: unknown }
  | { readonly type: 'shutdown' }

export type FromHost =
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'response'; readonly id: number; readonly envelope: Envelope<unknown> }
  | { readonly type: 'event'; readonly name: EventName; readonly payload: EventPayload<EventName> }

export function isToHost(m: unknown): m is ToHost {
  if (typeof m !== 'object' || m === null) return false
  const t = (m as { type?: unknown }).type
  if (t === 'shutdown') return true
  const r = m as { id?: unknown; name?: unknown }
  return t === 'request' && typeof r.id === 'number' && typeof r.name === 'string'
}
