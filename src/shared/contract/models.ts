import { z } from 'zod'
import { idSchema } from './common'

export const schedulerNameSchema = z.enum(['ddim', 'pndm', 'euler', 'euler-a'])

/** What the studio shows about a registered model (read from its files and sessions). */
export const modelFactsSchema = z.object({
  sdVersion: z.enum(['1.x', '2.x', 'custom']),
  contextDim: z.number().int(),
  latentChannels: z.number().int(),
  crossAttentionLayers: z.number().int(),
  kvNaming: z.enum(['node-names', 'config', 'sd-layout']),
  dtype: z.enum(['float32', 'float16']),
  timestep: z.enum(['int64-batch', 'float-batch', 'float-scalar']),
  inputIds: z.enum(['int32', 'int64']),
  predictionType: z.enum(['epsilon', 'v_prediction']),
  hasVaeEncoder: z.boolean(),
  sizes: z.record(z.string(), z.number()),
})
export type ModelFactsInfo = z.infer<typeof modelFactsSchema>

export const modelSchema = z.object({
  id: idSchema,
  projectId: idSchema,
  name: z.string(),
  dir: z.string(),
  facts: modelFactsSchema,
  createdAt: z.number(),
  missing: z.boolean(),
})
export type Model = z.infer<typeof modelSchema>

export const generationParamsSchema = z
  .object({
    prompt: z.string().max(2000),
    negativePrompt: z.string().max(2000).default(''),
    seed: z.number().int().min(0).max(0xffff_ffff).default(0),
    steps: z.number().int().min(1).max(500).default(30),
    guidance: z.number().min(0).max(50).default(7.5),
    scheduler: schedulerNameSchema.default('pndm'),
    /** A kohya or PEFT LoRA file applied to the K/V layers (import), with its strength. */
    lora: z.object({ path: z.string().min(1), scale: z.number().min(-10).max(10).default(1) }).strict().optional(),
    width: z
      .number()
      .int()
      .min(8)
      .max(2048)
      .refine((v) => v % 8 === 0, 'Width must be a multiple of 8 (latents are 1/8 of the image).')
      .default(512),
    height: z
      .number()
      .int()
      .min(8)
      .max(2048)
      .refine((v) => v % 8 === 0, 'Height must be a multiple of 8 (latents are 1/8 of the image).')
      .default(512),
  })
  .strict()
export type GenerationParams = z.output<typeof generationParamsSchema>

export const imageSchema = z.object({
  id: idSchema,
  modelId: idSchema.nullable(),
  /** Path relative to the project folder, served through the media protocol. */
  path: z.string(),
  params: generationParamsSchema,
  provider: z.string(),
  durationMs: z.number(),
  createdAt: z.number(),
})
export type ImageInfo = z.infer<typeof imageSchema>
