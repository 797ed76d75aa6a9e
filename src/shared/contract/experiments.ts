import { z } from 'zod'
import { idSchema } from './common'
import { erasureParamsSchema, erasureSpecSchema } from './erasure'
import { evaluationConceptSchema, evaluationSettingsSchema } from './evaluation'
import { schedulerNameSchema } from './models'

/** How the before/after galleries are generated (fixed seeds, so runs are comparable). */
export const gallerySettingsSchema = z
  .object({
    seeds: z.array(z.number().int().min(0).max(0xffff_ffff)).min(1).max(16).default([1, 2]),
    steps: z.number().int().min(1).max(200).default(25),
    guidance: z.number().min(0).max(50).default(7.5),
    scheduler: schedulerNameSchema.default('ddim'),
    /** Image side in pixels; unset: 512 for SD 1.x, 768 for SD 2.x v-prediction, 64 for tiny models. */
    size: z
      .number()
      .int()
      .min(8)
      .max(2048)
      .refine((v) => v % 8 === 0, 'The gallery size must be a multiple of 8.')
      .optional(),
    /** Skip the gallery stage entirely (CLI `--no-gallery`, quick parameter sweeps). */
    enabled: z.boolean().default(true),
  })
  .strict()
export type GallerySettings = z.output<typeof gallerySettingsSchema>

/**
 * Evaluation of an erasure (paper §5, ShapeWorld issue): the share of erasure prompts still
 * classified as the erased concept (Acc_e, lower is better), preserved prompts classified
 * correctly (Acc_s, higher is better), synonym and associated prompts still classified as the
 * erased concept (Acc_g, lower is better), and their harmonic mean
 * H_o = 3 / (1/(1−Acc_e) + 1/Acc_s + 1/(1−Acc_g)). Counts and seeds are recorded so a figure
 * can be reproduced.
 */
export const experimentMetricsSchema = z.object({
  /** The classifier that judged the images (e.g. `shapeworld-pixels`). */
  evaluator: z.string(),
  accE: z.number().min(0).max(1),
  accS: z.number().min(0).max(1),
  accG: z.number().min(0).max(1),
  ho: z.number().min(0).max(1),
  /** Images judged per group. */
  counts: z.object({ erasure: z.number().int(), preserved: z.number().int(), generalization: z.number().int() }),
  seeds: z.array(z.number().int()),
  evaluatedAt: z.number(),
  /** What was judged (absent in metrics recorded before it was). */
  concept: evaluationConceptSchema.optional(),
  /** How the erased model drew the images (absent in metrics recorded before it was). */
  generation: z
    .object({ steps: z.number().int(), guidance: z.number(), scheduler: schedulerNameSchema, size: z.number().int() })
    .optional(),
})
export type ExperimentMetrics = z.infer<typeof experimentMetricsSchema>

export const experimentStatusSchema = z.enum(['running', 'succeeded', 'failed', 'cancelled', 'interrupted'])

export const experimentSchema = z.object({
  id: idSchema,
  number: z.number().int(),
  projectId: idSchema,
  modelId: idSchema.nullable(),
  name: z.string(),
  spec: erasureSpecSchema,
  params: erasureParamsSchema,
  gallery: gallerySettingsSchema,
  status: experimentStatusSchema,
  provider: z.string().nullable(),
  timings: z.record(z.string(), z.number()),
  /** Edit artifact (T and per-layer deltas), relative to the project folder. */
  artifactPath: z.string().nullable(),
  error: z.string().nullable(),
  jobId: z.string().nullable(),
  pointCounts: z.record(z.string(), z.number()),
  /** LoRA stage: loss per training step (empty for stage-1 variants). */
  lossCurve: z.array(z.number()),
  /** LoRA stage: held-out eq. 8 loss on fixed (z_t, t) as [step, loss] (shows the trend). */
  evalCurve: z.array(z.tuple([z.number(), z.number()])),
  /** LoRA tensors (safetensors), relative to the project folder. */
  loraPath: z.string().nullable(),
  /** Evaluation metrics, once an evaluation has run (null before). */
  metrics: experimentMetricsSchema.nullable(),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
})
export type Experiment = z.infer<typeof experimentSchema>

export const pointKindSchema = z.enum(['erasure', 'anchor', 'neighbor', 'anchor-tolerance', 'beyond', 'preserved', 'probe'])
export type PointKind = z.infer<typeof pointKindSchema>

export const pointSchema = z.object({
  kind: pointKindSchema,
  prompt: z.string(),
  /** Concept this point belongs to (index into spec.concepts). */
  concept: z.number().int(),
  distance: z.number(),
  cosine: z.number(),
  x: z.number(),
  y: z.number(),
})
export type Point = z.infer<typeof pointSchema>

export const galleryImageSchema = z.object({
  id: idSchema,
  group: z.enum(['erasure', 'probe', 'preserved']),
  role: z.enum(['original', 'erased']),
  prompt: z.string(),
  seed: z.number().int(),
  path: z.string(),
})
export type GalleryImage = z.infer<typeof galleryImageSchema>

export const startResumeSchema = z
  .object({ kind: z.literal('resume-erase'), projectId: idSchema, experimentId: idSchema })
  .strict()

export const startEraseSchema = z
  .object({
    kind: z.literal('erase'),
    projectId: idSchema,
    modelId: idSchema,
    name: z.string().trim().max(120).optional(),
    spec: erasureSpecSchema,
    params: erasureParamsSchema,
    gallery: gallerySettingsSchema.default({ seeds: [1, 2], steps: 25, guidance: 7.5, scheduler: 'ddim', enabled: true }),
    /**
     * Evaluate the erased model when the run succeeds (the `evaluate` job's work, in the same
     * job): `true` for the default settings, or the settings. Left out or false: no evaluation.
     */
    evaluate: z.union([z.boolean(), evaluationSettingsSchema]).optional(),
  })
  .strict()
export type StartErase = z.output<typeof startEraseSchema>
