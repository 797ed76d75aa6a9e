/**
 * Schedulers by name. `config` is the checkpoint's scheduler_config.json as parsed JSON (or
 * undefined for diffusers' defaults); each scheduler reads it with its own defaults, as
 * diffusers' `from_config` does, so one SD config serves all four.
 */
import { parseSchedulerConfig } from './config'
import { DdimScheduler } from './ddim'
import { EulerScheduler } from './euler'
import { EulerAncestralScheduler } from './euler-ancestral'
import { PndmScheduler } from './pndm'
import type { Scheduler, SchedulerName, SchedulerOptions } from './types'

export { SchedulerConfigError, parseSchedulerConfig, parseSchedulerConfigJson } from './config'
export { schedulerDefaults } from './config'
export { DdimScheduler } from './ddim'
export { EulerScheduler } from './euler'
export { EulerAncestralScheduler } from './euler-ancestral'
export { PndmScheduler } from './pndm'
export { SCHEDULER_NAMES } from './types'
export type * from './types'

export function createScheduler(
  name: SchedulerName,
  config: unknown = {},
  options: SchedulerOptions = {},
): Scheduler {
  const parsed = parseSchedulerConfig(config, name)
  switch (name) {
    case 'ddim':
      return new DdimScheduler(parsed, options.eta ?? 0)
    case 'pndm':
      return new PndmScheduler(parsed)
    case 'euler':
      return new EulerScheduler(parsed)
    case 'euler-a':
      return new EulerAncestralScheduler(parsed)
  }
}
