import type {
  CommandInput,
  CommandName,
  CommandOutput,
  EventName,
  EventPayload,
} from '../../../shared/contract'
import type { ErrorCode } from '../../../shared/errors'
import type { Transport } from './transport'

/** A failed command, carrying the host's `{ code, message }`; the message is for the user. */
export class ApiError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'ApiError'
    this.code = code
  }
}

export interface StudioClient {
  invoke<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandOutput<K>>
  subscribe<K extends EventName>(name: K, cb: (payload: EventPayload<K>) => void): () => void
}

/**
 * The typed client over any transport. The host validates every input, so the client does not
 * re-parse outputs: the contract types are the promise.
 */
export function createClient(transport: Transport): StudioClient {
  return {
    async invoke(name, input) {
      const envelope = await transport.invoke(name, input)
      if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message)
      return envelope.value as CommandOutput<typeof name>
    },
    subscribe(name, cb) {
      return transport.subscribe(name, (payload) => cb(payload as EventPayload<typeof name>))
    },
  }
}
