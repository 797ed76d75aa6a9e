import type { Envelope } from '../../../shared/errors'

/** How the renderer reaches the host: Electron IPC, the WebSocket bridge, or in-memory. */
export interface Transport {
  invoke(name: string, input: unknown): Promise<Envelope<unknown>>
  subscribe(name: string, cb: (payload: unknown) => void): () => void
}
