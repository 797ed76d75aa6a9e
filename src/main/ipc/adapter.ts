import type { CommandName, ShellCommandName, ParsedInput, CommandOutput } from '../../shared/contract'
import { isCommandName, isHostCommand, parseCommandInput } from '../../shared/contract'
import type { Envelope } from '../../shared/errors'
import { StudioError, toErrorInfo } from '../../shared/errors'

/** What Electron tells us about who sent an IPC message (from `event.senderFrame`). */
export interface SenderInfo {
  readonly url: string
  readonly isMainFrame: boolean
}

export type ShellHandlers = {
  readonly [K in ShellCommandName]: (input: ParsedInput<K>) => Promise<CommandOutput<K>>
}

export interface AdapterDeps {
  readonly isTrustedUrl: (url: string) => boolean
  readonly forward: (name: CommandName, input: unknown) => Promise<Envelope<unknown>>
  readonly shell: ShellHandlers
}

/**
 * The main-side IPC adapter without Electron in it, so it is testable under plain Node:
 * trusted sender → schema → host (or shell) → `{ ok, value } | { ok: false, error }`.
 */
export function createIpcAdapter(deps: AdapterDeps) {
  return async (sender: SenderInfo | null, name: unknown, raw: unknown): Promise<Envelope<unknown>> => {
    try {
      if (!sender || !sender.isMainFrame || !deps.isTrustedUrl(sender.url)) {
        throw new StudioError('untrusted-sender', 'Refused a request from a page that is not the studio.')
      }
      if (!isCommandName(name)) throw new StudioError('unknown-command', `Unknown command ${JSON.stringify(name)}.`)
      const input = parseCommandInput(name, raw)
      if (isHostCommand(name)) return await deps.forward(name, input)
      const handler = deps.shell[name] as (i: unknown) => Promise<unknown>
      return { ok: true, value: await handler(input) }
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) }
    }
  }
}

/**
 * Trusted pages: the packaged renderer file and, in development, the dev server's origin.
 */
export function trustedUrlChecker(rendererFile: string | null, devServerUrl: string | null): (url: string) => boolean {
  return (url) => {
    try {
      const u = new URL(url)
      if (devServerUrl && u.origin === new URL(devServerUrl).origin) return true
      if (rendererFile && u.protocol === 'file:') return decodeURIComponent(u.pathname) === rendererFile
      return false
    } catch {
      return false
    }
  }
}
