import type { Envelope } from '../../../shared/errors'
import type { Transport } from './transport'

export interface MemoryTransport extends Transport {
  /** Delivers an event to subscribers, as the host would. */
  emit(name: string, payload: unknown): void
}

/**
 * Component tests: calls go straight to a dispatch function (in tests, the real host
 * handlers running in-process), events are pushed with `emit`.
 */
export function memoryTransport(dispatch: (name: string, input: unknown) => Promise<Envelope<unknown>>): MemoryTransport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  return {
    invoke: (name, input) => dispatch(name, structuredClone(input)),
    subscribe(name, cb) {
      const set = listeners.get(name) ?? new Set()
      listeners.set(name, set)
      set.add(cb)
      return () => {
        set.delete(cb)
      }
    },
    emit(name, payload) {
      listeners.get(name)?.forEach((cb) => cb(structuredClone(payload)))
    },
  }
}
