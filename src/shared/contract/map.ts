import { z } from 'zod'
import { idSchema } from './common'
import { pointSchema } from './experiments'

/**
 * The embedding-space map of an experiment: its stage-1 points, what each point's distance and
 * cosine were measured from, and (once computed) a UMAP layout. The points' `x`, `y` are the
 * PCA projection stage 1 stored; distances and cosines are exact, the projections are not.
 */

/**
 * An erasure embedding e (one per erasure prompt): neighbor, anchor-tolerance and beyond points
 * are measured from their own prompt's e; preserved and probe points from their concept's first.
 */
export const mapReferenceSchema = z.object({
  /** Index of the erasure point in `points`. */
  point: z.number().int().nonnegative(),
  prompt: z.string(),
  concept: z.number().int(),
  /** ‖e‖: with `distanceUnit: 'relative'`, D1, D1' and D2 are fractions of it. */
  norm: z.number().nonnegative(),
})
export type MapReference = z.infer<typeof mapReferenceSchema>

/** Fixed UMAP settings: the layout is seeded with the experiment's seed, so it is reproducible. */
export const UMAP_NEIGHBORS = 15
export const UMAP_MIN_DIST = 0.1

export const umapLayoutSchema = z.object({
  seed: z.number().int(),
  nNeighbors: z.number().int().positive(),
  minDist: z.number().nonnegative(),
  epochs: z.number().int().nonnegative(),
  /** x0, y0, x1, y1, … in the order of `points`. */
  xy: z.array(z.number()),
  durationMs: z.number().nonnegative(),
  computedAt: z.number(),
})
export type UmapLayout = z.infer<typeof umapLayoutSchema>

export const embeddingMapSchema = z.object({
  points: z.array(pointSchema),
  /** Per point, the index into `references` of the e it was measured from (−1: none). */
  reference: z.array(z.number().int()),
  references: z.array(mapReferenceSchema),
  /** The cached UMAP layout for these exact points, or null until one is computed. */
  umap: umapLayoutSchema.nullable(),
})
export type EmbeddingMap = z.infer<typeof embeddingMapSchema>

/** The job's result: the layout itself stays in the experiment folder (`experiments.map`). */
export const umapResultSchema = z.object({
  experimentId: idSchema,
  points: z.number().int(),
  epochs: z.number().int(),
  /** True when a layout for these points and this seed was already cached. */
  cached: z.boolean(),
  durationMs: z.number(),
})
export type UmapResult = z.infer<typeof umapResultSchema>

export const startUmapSchema = z
  .object({ kind: z.literal('umap'), projectId: idSchema, experimentId: idSchema })
  .strict()
export type StartUmap = z.output<typeof startUmapSchema>

/** The job's title, so a reloaded window finds a running layout job for its experiment. */
export const umapJobTitle = (experimentNumber: number): string => `UMAP map of experiment ${experimentNumber}`
