import { z } from 'zod'
import { idSchema } from './common'
import type { ExperimentMetrics } from './experiments'

/**
 * Evaluating an erasure (issue #8): the experiment's erased model draws the ShapeWorld
 * evaluation prompts, a classifier judges each image, and the metrics (Acc_e, Acc_s, Acc_g,
 * H_o) are stored with the experiment. The colour and shape names are ShapeWorld's; a unit test
 * keeps them equal to the world's own lists.
 */
export const evaluationColors = ['red', 'green', 'blue', 'yellow', 'purple', 'orange'] as const
export const evaluationShapes = ['circle', 'square', 'triangle', 'star', 'diamond'] as const
export type EvaluationColor = (typeof evaluationColors)[number]
export type EvaluationShape = (typeof evaluationShapes)[number]

/** What the evaluation judges: a colour, a shape, or both (a red circle). */
export const evaluationConceptSchema = z
  .object({
    color: z.enum(evaluationColors).optional(),
    shape: z.enum(evaluationShapes).optional(),
  })
  .strict()
  .refine((c) => c.color !== undefined || c.shape !== undefined, {
    message: 'Name the colour, the shape or both that the evaluation judges.',
  })
export type EvaluationConcept = z.output<typeof evaluationConceptSchema>

/** Seeds an evaluation uses when none are given. */
export const DEFAULT_EVALUATION_SEEDS: readonly number[] = [1, 2, 3, 4]

const count = z.number().int().min(1).max(100_000)

/**
 * How to evaluate. Left out: the concept is read from the experiment's concept text through the
 * ShapeWorld vocabulary ("red" → colour red); steps, guidance, scheduler and image size are the
 * experiment's gallery settings; every group uses all its prompts × seeds (`counts` caps them).
 */
export const evaluationSettingsShape = {
  concept: evaluationConceptSchema.optional(),
  seeds: z
    .array(z.number().int().min(0).max(0xffff_ffff))
    .min(1, 'Give at least one seed.')
    .max(64)
    .default([...DEFAULT_EVALUATION_SEEDS]),
  steps: z.number().int().min(1).max(200).optional(),
  guidance: z.number().min(0).max(50).optional(),
  counts: z
    .object({ erasure: count.optional(), preserved: count.optional(), generalization: count.optional() })
    .strict()
    .optional(),
}
export const evaluationSettingsSchema = z.object(evaluationSettingsShape).strict()
export type EvaluationSettings = z.output<typeof evaluationSettingsSchema>
export type EvaluationSettingsInput = z.input<typeof evaluationSettingsSchema>

export const startEvaluateSchema = z
  .object({
    kind: z.literal('evaluate'),
    projectId: idSchema,
    experimentId: idSchema,
    ...evaluationSettingsShape,
  })
  .strict()
export type StartEvaluate = z.output<typeof startEvaluateSchema>

/** The job's result; the metrics are also stored with the experiment. */
export interface EvaluationOutcome {
  readonly experimentId: string
  readonly concept: EvaluationConcept
  readonly metrics: ExperimentMetrics
}

/** The job's title, so a reloaded window finds a running evaluation of its experiment. */
export const evaluateJobTitle = (experimentNumber: number): string =>
  `Evaluate experiment ${experimentNumber}`
