import type { GenerationParams, ImageInfo, JobSnapshot, Model } from '../../../../shared/contract'
import { generationParamsSchema, imageSchema } from '../../../../shared/contract'

/**
 * Pure view logic of the generate page. The form keeps numbers as the text typed; each render
 * validates it with the contract's `generationParamsSchema`, so the fields say what the host
 * would refuse, in words.
 */
export type SchedulerName = GenerationParams['scheduler']

export interface GenerateForm {
  readonly modelId: string
  readonly prompt: string
  readonly negativePrompt: string
  readonly seed: string
  readonly steps: string
  readonly guidance: string
  readonly scheduler: SchedulerName
  readonly width: string
  readonly height: string
}

export type ParamField = Exclude<keyof GenerateForm, 'modelId'>

/** The contract's defaults (30 steps, guidance 7.5, PNDM, 512 × 512, seed 0). */
export const defaultParams: GenerationParams = generationParamsSchema.parse({ prompt: '' })

export const MAX_SEED = 0xffff_ffff

export function formFromParams(params: GenerationParams, modelId: string): GenerateForm {
  return {
    modelId,
    prompt: params.prompt,
    negativePrompt: params.negativePrompt,
    seed: String(params.seed),
    steps: String(params.steps),
    guidance: String(params.guidance),
    scheduler: params.scheduler,
    width: String(params.width),
    height: String(params.height),
  }
}

export const defaultForm = (modelId: string): GenerateForm => formFromParams(defaultParams, modelId)

/** A seed from the whole range the contract allows. */
export const randomSeed = (random: () => number = Math.random): number =>
  Math.min(MAX_SEED, Math.floor(random() * (MAX_SEED + 1)))

const fieldLabels: Record<ParamField, string> = {
  prompt: 'The prompt',
  negativePrompt: 'The negative prompt',
  seed: 'Seed',
  steps: 'Steps',
  guidance: 'Guidance',
  scheduler: 'Scheduler',
  width: 'Width',
  height: 'Height',
}

const numberFields = ['seed', 'steps', 'guidance', 'width', 'height'] as const

export type FieldErrors = Partial<Record<ParamField, string>>

export type Validation =
  | { readonly ok: true; readonly params: GenerationParams; readonly errors: FieldErrors }
  | { readonly ok: false; readonly params: null; readonly errors: FieldErrors }

interface IssueLike {
  readonly code: string
  readonly message: string
  readonly minimum?: unknown
  readonly maximum?: unknown
  readonly expected?: unknown
  readonly origin?: unknown
}

/** A zod issue in the field's own words ("Steps must be at most 500."). */
function describe(field: ParamField, issue: IssueLike): string {
  const label = fieldLabels[field]
  const unit = issue.origin === 'string' ? ' characters' : ''
  switch (issue.code) {
    case 'too_small':
      return `${label} must be at least ${String(issue.minimum)}${unit}.`
    case 'too_big':
      return `${label} must be at most ${String(issue.maximum)}${unit}.`
    case 'invalid_type':
      return issue.expected === 'int' ? `${label} must be a whole number.` : issue.message
    default:
      return issue.message
  }
}

/** Parses the typed text of every field and checks the result with the contract's schema. */
export function validateGenerateForm(form: GenerateForm): Validation {
  const errors: FieldErrors = {}
  const numbers: Partial<Record<(typeof numberFields)[number], number>> = {}
  for (const field of numberFields) {
    const text = form[field].trim()
    const value = Number(text)
    if (text === '') errors[field] = `Enter a value for ${fieldLabels[field].toLowerCase()}.`
    else if (!Number.isFinite(value)) errors[field] = `${fieldLabels[field]} must be a number.`
    else numbers[field] = value
  }
  const parsed = generationParamsSchema.safeParse({
    prompt: form.prompt,
    negativePrompt: form.negativePrompt,
    scheduler: form.scheduler,
    ...numbers,
  })
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0]
      if (typeof field === 'string' && field in fieldLabels && !errors[field as ParamField]) {
        errors[field as ParamField] = describe(field as ParamField, issue)
      }
    }
  }
  if (parsed.success && Object.keys(errors).length === 0) {
    return { ok: true, params: parsed.data, errors }
  }
  return { ok: false, params: null, errors }
}

export const schedulerOptions: readonly { value: SchedulerName; label: string }[] = [
  { value: 'pndm', label: 'PNDM (PLMS)' },
  { value: 'ddim', label: 'DDIM' },
  { value: 'euler', label: 'Euler' },
  { value: 'euler-a', label: 'Euler ancestral' },
]

export const schedulerLabel = (name: SchedulerName): string =>
  schedulerOptions.find((o) => o.value === name)?.label ?? name

export const isSchedulerName = (v: string): v is SchedulerName =>
  schedulerOptions.some((o) => o.value === v)

const phaseLabels: Readonly<Record<string, string>> = {
  load: 'Loading the model',
  encode: 'Encoding the prompt',
  denoise: 'Denoising',
  decode: 'Decoding the image',
}

/** The generate job's phases in words; unknown phases are shown as the host names them. */
export const generatePhaseLabel = (phase: string): string => phaseLabels[phase] ?? phase

/** The newest generate job of the project, running or ended; null if there is none. */
export function latestGenerateJob(jobs: readonly JobSnapshot[]): JobSnapshot | null {
  return jobs.find((j) => j.kind === 'generate') ?? null
}

/** The image a succeeded generate job made, or null. */
export function resultImage(job: JobSnapshot | null): ImageInfo | null {
  if (job?.state !== 'succeeded') return null
  const parsed = imageSchema.safeParse(job.result)
  return parsed.success ? parsed.data : null
}

/**
 * A key that changes whenever a generate job of the project succeeds: the gallery reloads
 * when it does, whichever window or tool started the job.
 */
export function generatedKey(jobs: readonly JobSnapshot[]): string {
  return jobs
    .filter((j) => j.kind === 'generate' && j.state === 'succeeded')
    .map((j) => j.id)
    .join(',')
}

export const sizeLabel = (p: { width: number; height: number }): string =>
  `${p.width} × ${p.height}`

/** Small images are scaled up with hard pixel edges, so a 64 × 64 test image stays readable. */
export const isSmallImage = (p: { width: number; height: number }): boolean =>
  Math.max(p.width, p.height) <= 256

/** "seed 42 · 30 steps" */
export const seedAndSteps = (p: GenerationParams): string =>
  `seed ${p.seed} · ${p.steps} ${p.steps === 1 ? 'step' : 'steps'}`

/** "seed 42 · 30 steps · PNDM (PLMS)" */
export const paramsSummary = (p: GenerationParams): string =>
  `${seedAndSteps(p)} · ${schedulerLabel(p.scheduler)}`

/** The model an image was made with, by name; it may have been removed since. */
export function modelNameFor(image: ImageInfo, models: readonly Model[]): string {
  if (image.modelId === null) return 'Unknown model'
  return models.find((m) => m.id === image.modelId)?.name ?? 'Removed model'
}

/** The model the form should start with: the requested one if usable, else the first usable. */
export function pickModelId(models: readonly Model[], wanted: string | undefined): string {
  const usable = models.filter((m) => !m.missing)
  return (usable.find((m) => m.id === wanted) ?? usable[0])?.id ?? ''
}
