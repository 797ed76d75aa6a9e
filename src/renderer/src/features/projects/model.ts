import { projectNameSchema } from '../../../../shared/contract'

/**
 * The message to show under the name field, or null when the name is fine. Uses the contract's
 * schema, so the field says exactly what the host would.
 */
export function validateProjectName(name: string): string | null {
  const parsed = projectNameSchema.safeParse(name)
  if (parsed.success) return null
  return parsed.error.issues[0]?.message ?? 'This name cannot be used.'
}

/** Joins a parent folder and a name for display, with the separator the parent already uses. */
export function previewProjectDir(parentDir: string, name: string): string {
  const parent = parentDir.trim()
  const child = name.trim()
  if (parent === '') return child
  const sep = parent.includes('\\') && !parent.includes('/') ? '\\' : '/'
  const base = parent.endsWith(sep) ? parent.slice(0, -1) : parent
  return child === '' ? base : `${base}${sep}${child}`
}

export type LocationChoice = 'default' | 'custom'

export interface CreateForm {
  readonly name: string
  readonly location: LocationChoice
  readonly customDir: string
}

/** The parent folder to send: undefined lets the host use the default location. */
export function parentDirFor(form: CreateForm): string | undefined {
  return form.location === 'custom' ? form.customDir.trim() : undefined
}

export function customDirError(form: CreateForm): string | null {
  if (form.location !== 'custom') return null
  return form.customDir.trim() === '' ? 'Enter the folder to create the project in.' : null
}
