import { z } from 'zod'

/** Preset files in resources/presets/: templates, anchor and lists for a kind of concept. */
export const presetSchema = z.object({
  id: z.enum(['artist', 'celebrity', 'object', 'explicit']),
  label: z.string(),
  description: z.string(),
  anchor: z.string(),
  templates: z.array(z.string().includes('{}')).min(1),
  preserve: z.array(z.string()),
  probes: z.array(z.string()),
  params: z.record(z.string(), z.unknown()),
})
export type Preset = z.infer<typeof presetSchema>
