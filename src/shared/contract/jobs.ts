import { z } from 'zod'
import { errorInfoSchema, idSchema } from './common'
import { startEvaluateSchema } from './evaluation'
import { startEraseSchema, startResumeSchema } from './experiments'
import { startExportSchema } from './exports'
import { startUmapSchema } from './map'
import { generationParamsSchema } from './models'

export const jobStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const
export const jobStateSchema = z.enum(jobStates)
export type JobState = z.infer<typeof jobStateSchema>

export const terminalJobStates: readonly JobState[] = ['succeeded', 'failed', 'cancelled', 'interrupted']
export const isTerminal = (state: JobState): boolean => terminalJobStates.includes(state)

export const jobKindSchema = z.enum(['verify-project', 'register-model', 'generate', 'erase', 'resume-erase', 'export', 'umap', 'evaluate'])
export type JobKind = z.infer<typeof jobKindSchema>

export const progressSchema = z.object({
  phase: z.string(),
  step: z.number().int().nonnegative(),
  total: z.number().int().positive().nullable(),
  /** Milliseconds since the job started running, so every client computes the same ETA. */
  elapsedMs: z.number().nonnegative(),
})
export type Progress = z.infer<typeof progressSchema>

const base = { jobId: z.string(), seq: z.number().int().positive(), at: z.number() }

/** One typed stream per job; `seq` is strictly increasing within a job. */
export const jobEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('state'), state: jobStateSchema }),
  z.object({ ...base, type: z.literal('progress'), progress: progressSchema }),
  z.object({ ...base, type: z.literal('log'), level: z.enum(['info', 'warn']), message: z.string() }),
  z.object({ ...base, type: z.literal('result'), result: z.unknown() }),
  z.object({ ...base, type: z.literal('error'), error: errorInfoSchema }),
])
export type JobEvent = z.infer<typeof jobEventSchema>

export const jobSnapshotSchema = z.object({
  id: z.string(),
  kind: jobKindSchema,
  projectId: z.string().nullable(),
  title: z.string(),
  state: jobStateSchema,
  progress: progressSchema.nullable(),
  result: z.unknown().nullable(),
  error: errorInfoSchema.nullable(),
  lastSeq: z.number().int().nonnegative(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
})
export type JobSnapshot = z.infer<typeof jobSnapshotSchema>

export const startJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('verify-project'), projectId: z.string().min(1) }).strict(),
  z
    .object({
      kind: z.literal('register-model'),
      projectId: idSchema,
      dir: z.string().min(1, 'Choose the model folder.'),
      name: z.string().trim().min(1).max(120).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('generate'), projectId: idSchema, modelId: idSchema, params: generationParamsSchema }).strict(),
  startEraseSchema,
  startResumeSchema,
  startExportSchema,
  startUmapSchema,
  startEvaluateSchema,
])
export type StartJob = z.infer<typeof startJobSchema>
