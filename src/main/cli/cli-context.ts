import type { JobEvent } from '../../shared/contract'
import { hostConfigFromEnv } from '../host/host-config'
import type { Services } from '../host/services'
import { createServices } from '../host/services'

/** Output helpers shared by CLI commands: `--json` for machines, sentences for people. */
export interface CliIo {
  readonly json: boolean
  out(text: string): void
  err(text: string): void
  result(value: unknown, human: () => string): void
}

export function createIo(json: boolean): CliIo {
  return {
    json,
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    result(value, human) {
      process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`)
    },
  }
}

/** The CLI runs the same services as the host, in-process. */
export function openServices(onEvent: (e: JobEvent) => void = () => undefined): Services {
  return createServices(hostConfigFromEnv(), onEvent)
}
