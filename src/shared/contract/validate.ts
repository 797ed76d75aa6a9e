import type { z } from 'zod'
import { StudioError } from '../errors'
import type { CommandName, ParsedInput } from './commands'
import { commands, isCommandName } from './commands'

/** Turns zod issues into one sentence a user can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
      return `${where}${issue.message}`
    })
    .join('; ')
}

/** Validates a command's raw input; throws `invalid-input` or `unknown-command`. */
export function parseCommandInput<K extends CommandName>(name: K, raw: unknown): ParsedInput<K>
export function parseCommandInput(name: unknown, raw: unknown): unknown
export function parseCommandInput(name: unknown, raw: unknown): unknown {
  if (!isCommandName(name)) {
    throw new StudioError('unknown-command', `Unknown command ${JSON.stringify(name)}.`)
  }
  const parsed = commands[name].input.safeParse(raw ?? {})
  if (!parsed.success) {
    throw new StudioError('invalid-input', `Invalid input for ${name}: ${describeIssues(parsed.error)}`)
  }
  return parsed.data
}
