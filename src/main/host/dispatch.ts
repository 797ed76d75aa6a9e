import type {
  CommandOutput,
  HostCommandName,
  ParsedInput,
} from '../../shared/contract'
import { appInfoSchema, isCommandName, isHostCommand, parseCommandInput } from '../../shared/contract'
import type { Envelope } from '../../shared/errors'
import { StudioError, toErrorInfo } from '../../shared/errors'
import { listProviders } from '../engine/runtime/execution-providers'
import { jobRequestFor } from '../services/jobs/job-kinds'
import { loadPresets } from '../services/presets'
import type { Services } from './services'

type Handler<K extends HostCommandName> = (
  input: ParsedInput<K>,
) => CommandOutput<K> | Promise<CommandOutput<K>>

/** A missing handler for any host command is a type error here. */
export type HostHandlers = { readonly [K in HostCommandName]: Handler<K> }

export function createHandlers(s: Services): HostHandlers {
  return {
    'app.info': () =>
      appInfoSchema.parse({
        version: s.config.version,
        platform: process.platform,
        arch: process.arch,
        dataDir: s.config.dataDir,
        runtime: s.config.runtime,
        providers: listProviders(),
      }),
    'settings.get': () => s.settings.get(),
    'settings.set': (patch) => s.settings.set(patch),
    'projects.list': () => s.projects.list(),
    'projects.create': (input) => s.projects.create(input),
    'projects.rename': ({ id, name }) => s.projects.rename(id, name),
    'projects.open': ({ id }) => s.projects.open(id),
    'projects.delete': ({ id, deleteFiles }) => s.projects.delete(id, deleteFiles),
    'models.list': ({ projectId }) => s.models.list(s.projects.get(projectId)),
    'models.remove': ({ projectId, modelId }) => s.models.remove(s.projects.get(projectId), modelId),
    'images.list': ({ projectId, modelId, limit }) => s.generation.list(s.projects.get(projectId), modelId, limit ?? 200),
    'presets.list': () => loadPresets(),
    'experiments.list': ({ projectId }) => s.experiments.list(s.projects.get(projectId)),
    'experiments.get': ({ projectId, experimentId }) => s.experiments.get(s.projects.get(projectId), experimentId),
    'experiments.points': ({ projectId, experimentId }) => s.experiments.points(s.projects.get(projectId), experimentId),
    'experiments.map': ({ projectId, experimentId }) => s.map.get(s.projects.get(projectId), experimentId),
    'experiments.delete': ({ projectId, experimentId }) => s.experiments.delete(s.projects.get(projectId), experimentId),
    'exports.preview': ({ projectId, experimentId, options }) => s.exports.preview(s.projects.get(projectId), experimentId, options),
    'exports.list': ({ projectId, experimentId }) => s.exports.list(s.projects.get(projectId), experimentId),
    'jobs.list': ({ projectId }) => s.jobs.list(projectId),
    'jobs.start': (input) => s.jobs.start(jobRequestFor(input, s)),
    'jobs.cancel': ({ jobId }) => s.jobs.cancel(jobId),
  }
}

/**
 * Validates, then calls the handler. Raw input never reaches a service: the schema parse comes
 * first, and its output is what the handler sees.
 */
export async function dispatch(
  handlers: HostHandlers,
  name: unknown,
  raw: unknown,
): Promise<Envelope<unknown>> {
  try {
    if (!isCommandName(name) || !isHostCommand(name)) {
      throw new StudioError('unknown-command', `Unknown command ${JSON.stringify(name)}.`)
    }
    const input = parseCommandInput(name, raw)
    const handler = handlers[name] as (i: unknown) => unknown
    return { ok: true, value: await handler(input) }
  } catch (err) {
    return { ok: false, error: toErrorInfo(err) }
  }
}
