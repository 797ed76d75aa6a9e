import type { GallerySettings } from '../../../../shared/contract'
import { gallerySettingsSchema } from '../../../../shared/contract'
import { issueText, parseNumberText } from '../../components/issue-text'
import type { SchedulerName } from '../generate/model'

/** The before/after gallery settings as typed; checked with the contract's schema. */
export interface GalleryForm {
  readonly enabled: boolean
  /** Seeds separated by commas or spaces: "1, 2". */
  readonly seeds: string
  readonly steps: string
  readonly guidance: string
  readonly scheduler: SchedulerName
  /** Image side in pixels; blank picks the model's native size. */
  readonly size: string
}

export type GalleryField = Exclude<keyof GalleryForm, 'scheduler' | 'enabled'>
export type GalleryErrors = Partial<Record<GalleryField, string>>

export const defaultGallery: GallerySettings = gallerySettingsSchema.parse({})

export const galleryLabels: Record<GalleryField | 'scheduler' | 'enabled', string> = {
  enabled: 'Render a before/after gallery',
  seeds: 'Seeds',
  steps: 'Steps',
  guidance: 'Guidance',
  scheduler: 'Scheduler',
  size: 'Size',
}

export const galleryHelp: Record<GalleryField | 'scheduler' | 'enabled', string> = {
  enabled: 'Each prompt is drawn by the original and the edited model with the same seeds.',
  seeds: 'Fixed seeds, separated by commas: the same seeds give comparable runs.',
  steps: 'Denoising steps per image.',
  guidance: 'Classifier-free guidance scale.',
  scheduler: 'The sampling method.',
  size: 'Pixels, a multiple of 8. Blank: the model’s own size (512 for SD 1.x, 64 for tiny).',
}

/** The switch that evaluates the erased model at the end of the run (ShapeWorld concepts). */
export const evaluateLabel = 'Evaluate after erasing'
export const evaluateHelp =
  'Draws the ShapeWorld evaluation prompts with the erased model (these steps, guidance and size; seeds 1–4) and stores Acc_e, Acc_s, Acc_g and H_o. The concept must be a ShapeWorld colour or shape.'

export function galleryFormFrom(g: GallerySettings): GalleryForm {
  return {
    enabled: g.enabled,
    seeds: g.seeds.join(', '),
    steps: String(g.steps),
    guidance: String(g.guidance),
    scheduler: g.scheduler,
    size: g.size === undefined ? '' : String(g.size),
  }
}

export const defaultGalleryForm: GalleryForm = galleryFormFrom(defaultGallery)

/** "1, 2 3" → [1, 2, 3], or the reason it is not a list of whole numbers. */
export function parseSeeds(
  text: string,
): { readonly seeds: number[] } | { readonly error: string } {
  const parts = text.split(/[\s,;]+/).filter((s) => s !== '')
  if (parts.length === 0) return { error: 'Enter at least one seed.' }
  const seeds: number[] = []
  for (const part of parts) {
    const n = Number(part)
    if (!Number.isInteger(n) || n < 0) {
      return { error: `Seeds are whole numbers from 0 up, separated by commas ("${part}" is not).` }
    }
    seeds.push(n)
  }
  return { seeds }
}

const isGalleryField = (k: unknown): k is GalleryField =>
  k === 'seeds' || k === 'steps' || k === 'guidance' || k === 'size'

export function validateGallery(form: GalleryForm): {
  readonly gallery: GallerySettings | null
  readonly errors: GalleryErrors
} {
  const errors: GalleryErrors = {}
  const input: Record<string, unknown> = { enabled: form.enabled, scheduler: form.scheduler }
  const seeds = parseSeeds(form.seeds)
  if ('error' in seeds) errors.seeds = seeds.error
  else input.seeds = seeds.seeds
  for (const field of ['steps', 'guidance'] as const) {
    const read = parseNumberText(galleryLabels[field], form[field])
    if ('error' in read) errors[field] = read.error
    else input[field] = read.value
  }
  if (form.size.trim() !== '') {
    const read = parseNumberText(galleryLabels.size, form.size)
    if ('error' in read) errors.size = read.error
    else input.size = read.value
  }
  const parsed = gallerySettingsSchema.safeParse(input)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0]
      if (isGalleryField(key) && errors[key] === undefined) {
        errors[key] = issueText(galleryLabels[key], issue)
      }
    }
  }
  const ok = parsed.success && Object.keys(errors).length === 0
  return { gallery: ok ? parsed.data : null, errors }
}
