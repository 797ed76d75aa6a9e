import { z } from 'zod'
import { idSchema } from './common'

export const exportFormatSchema = z.enum(['kohya', 'peft', 'merged'])

export const exportOptionsSchema = z
  .object({
    format: exportFormatSchema.default('kohya'),
    rank: z.number().int().min(1).max(1024).default(4),
    dtype: z.enum(['fp16', 'fp32']).default('fp16'),
    /** kohya only: full-rank `.diff` keys (exact, larger files; A1111 and ComfyUI load them). */
    fullRank: z.boolean().default(false),
  })
  .strict()
export type ExportOptions = z.output<typeof exportOptionsSchema>

export const layerErrorSchema = z.object({ path: z.string(), rank: z.number().int(), relError: z.number() })

export const exportPreviewSchema = z.object({
  layers: z.array(layerErrorSchema),
  maxRelError: z.number(),
  bytes: z.number(),
})
export type ExportPreview = z.infer<typeof exportPreviewSchema>

export const exportRecordSchema = z.object({
  id: idSchema,
  experimentId: idSchema,
  format: exportFormatSchema,
  rank: z.number().int().nullable(),
  dtype: z.enum(['fp16', 'fp32']),
  path: z.string(),
  layers: z.array(layerErrorSchema),
  sha256: z.string(),
  bytes: z.number(),
  createdAt: z.number(),
})
export type ExportRecord = z.infer<typeof exportRecordSchema>

export const startExportSchema = z
  .object({
    kind: z.literal('export'),
    projectId: idSchema,
    experimentId: idSchema,
    options: exportOptionsSchema,
    /** Target file (LoRA) or folder (merged model); absolute, or relative to the project folder. */
    out: z.string().min(1, 'Choose where to save the export.'),
  })
  .strict()
export type StartExport = z.output<typeof startExportSchema>
