/**
 * Errors cross process boundaries as plain `{ code, message }` envelopes, because Electron's
 * invoke and the WebSocket bridge both drop custom error fields.
 */
export const errorCodes = [
  'invalid-input',
  'not-found',
  'conflict',
  'not-writable',
  'untrusted-sender',
  'unknown-command',
  'cancelled',
  'unavailable',
  'internal',
] as const

export type ErrorCode = (typeof errorCodes)[number]

export interface ErrorInfo {
  readonly code: ErrorCode
  readonly message: string
}

/** An error whose message is written for the user: it names the problem and the fix. */
export class StudioError extends Error {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'StudioError'
    this.code = code
  }
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof StudioError) return { code: err.code, message: err.message }
  if (err instanceof Error && err.name === 'AbortError') {
    return { code: 'cancelled', message: 'Cancelled.' }
  }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'internal', message: `Unexpected error: ${message}` }
}
