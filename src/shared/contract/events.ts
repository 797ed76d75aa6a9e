import type { z } from 'zod'
import { jobEventSchema } from './jobs'

/** Events pushed from the host to every subscribed window. */
export const events = {
  job: jobEventSchema,
} as const

export type EventName = keyof typeof events
export type EventPayload<K extends EventName> = z.output<(typeof events)[K]>

export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name)
