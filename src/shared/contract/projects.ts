import { z } from 'zod'
import { idSchema } from './common'

/** Names become folder names, so they are checked here and again by the service. */
export const projectNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the project a name.')
  .max(80, 'Keep the name under 80 characters.')
  .refine((s) => !/[\\/]/.test(s), 'A project name cannot contain / or \\: it becomes a folder name.')
  .refine(
    (s) => !/[<>:"|?*]/.test(s) && ![...s].some((c) => c.charCodeAt(0) < 32),
    'A project name cannot contain < > : " | ? * or control characters.',
  )
  .refine((s) => s !== '.' && s !== '..', 'A project name cannot be . or ..')

export const projectSchema = z.object({
  id: idSchema,
  name: z.string(),
  dir: z.string(),
  createdAt: z.number(),
  openedAt: z.number().nullable(),
  missing: z.boolean(),
})
export type Project = z.infer<typeof projectSchema>

export const createProjectSchema = z.object({
  name: projectNameSchema,
  /** Parent folder; the project folder `<parentDir>/<name>` is created inside it. */
  parentDir: z.string().min(1).optional(),
}).strict()
export type CreateProject = z.infer<typeof createProjectSchema>
