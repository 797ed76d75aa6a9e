import { z } from 'zod'

export const executionProviderSchema = z.enum(['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'])
export type ExecutionProviderChoice = z.infer<typeof executionProviderSchema>

export const settingsSchema = z.object({
  theme: z.enum(['light', 'dark', 'system']),
  executionProvider: executionProviderSchema,
  /** Where new projects go when the user does not choose a folder. */
  defaultProjectDir: z.string().min(1),
  /** Intra-op threads for ONNX Runtime; 0 lets ONNX Runtime decide. */
  threads: z.number().int().min(0).max(256),
})
export type Settings = z.infer<typeof settingsSchema>

export const settingsPatchSchema = settingsSchema.partial().strict()

export const providerInfoSchema = z.object({
  name: z.string(),
  available: z.boolean(),
  note: z.string(),
})

export const appInfoSchema = z.object({
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  dataDir: z.string(),
  runtime: z.enum(['electron', 'node']),
  providers: z.array(providerInfoSchema),
})
export type AppInfo = z.infer<typeof appInfoSchema>
