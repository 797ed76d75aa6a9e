import type { Envelope } from '../shared/errors'

/** What the preload exposes as `window.studio`: contract names only, nothing else. */
export interface StudioApi {
  invoke(name: string, input: unknown): Promise<Envelope<unknown>>
  subscribe(name: string, cb: (payload: unknown) => void): () => void
  /** The file-system path of a dropped file or folder (Electron only; '' when unknown). */
  pathForFile(file: File): string
}

declare global {
  interface Window {
    studio?: StudioApi
  }
}
