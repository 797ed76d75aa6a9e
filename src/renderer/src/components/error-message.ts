import { ApiError } from '../api/client'

/**
 * The text to show for a failed call. Host errors are written for the user (they name the
 * problem and the fix), so they are shown as they are; a lost connection gets a hint.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'unavailable') return `${err.message} If this persists, restart the studio.`
    return err.message
  }
  if (err instanceof Error) return `Unexpected error: ${err.message}`
  return `Unexpected error: ${String(err)}`
}
