import type { Experiment, Preset, StartJob } from '../../../../shared/contract'
import { conceptSchema, erasureSpecSchema } from '../../../../shared/contract'
import type { GalleryErrors, GalleryForm } from './gallery-form-model'
import { defaultGalleryForm, galleryFormFrom, validateGallery } from './gallery-form-model'
import type { ParamErrors, ParamsForm } from './params-model'
import { defaultParamsForm, paramsFormFrom, patchParamsForm, validateParams } from './params-model'

/**
 * The new-experiment form: what to erase (concepts with their anchors, shared templates, the
 * preserved and probe prompts), RealEra's parameters and the gallery settings. Pure: the page
 * keeps one `ExperimentForm` in state and validates it on every render.
 */
export type PresetChoice = Preset['id'] | 'custom'

export interface ConceptRow {
  /** Stable React key of the row. */
  readonly key: number
  readonly concept: string
  readonly anchor: string
}

export interface ExperimentForm {
  readonly modelId: string
  readonly name: string
  readonly preset: PresetChoice
  readonly concepts: readonly ConceptRow[]
  /** Shared by every concept: each erasure prompt is a template with {} replaced. */
  readonly templates: readonly string[]
  readonly preserve: readonly string[]
  readonly probes: readonly string[]
  readonly params: ParamsForm
  readonly gallery: GalleryForm
  /** Evaluate the erased model when the run succeeds (the erase job's `evaluate`). */
  readonly evaluate: boolean
}

export function emptyForm(modelId = ''): ExperimentForm {
  return {
    modelId,
    name: '',
    preset: 'custom',
    concepts: [{ key: 1, concept: '', anchor: '' }],
    templates: ['{}'],
    preserve: [],
    probes: [],
    params: defaultParamsForm,
    gallery: defaultGalleryForm,
    evaluate: false,
  }
}

/** Fills templates, every anchor, the preserved and probe lists and the preset's parameters. */
export function applyPreset(form: ExperimentForm, preset: Preset): ExperimentForm {
  return {
    ...form,
    preset: preset.id,
    concepts: form.concepts.map((c) => ({ ...c, anchor: preset.anchor })),
    templates: [...preset.templates],
    preserve: [...preset.preserve],
    probes: [...preset.probes],
    params: patchParamsForm(form.params, preset.params),
  }
}

/** The form of an earlier run, to change one thing and run again ("Duplicate"). */
export function formFromExperiment(exp: Experiment): ExperimentForm {
  const spec = exp.spec
  return {
    modelId: exp.modelId ?? '',
    name: '',
    preset: spec.preset,
    concepts: spec.concepts.map((c, i) => ({ key: i + 1, concept: c.concept, anchor: c.anchor })),
    templates: [...(spec.concepts[0]?.templates ?? ['{}'])],
    preserve: [...spec.preserve],
    probes: [...spec.probes],
    params: paramsFormFrom(exp.params),
    gallery: galleryFormFrom(exp.gallery),
    // Not recorded with the run: its metrics are, and Evaluate on its page runs it again.
    evaluate: false,
  }
}

export function addConcept(form: ExperimentForm, anchor: string): ExperimentForm {
  const key = Math.max(0, ...form.concepts.map((c) => c.key)) + 1
  return { ...form, concepts: [...form.concepts, { key, concept: '', anchor }] }
}

export function removeConcept(form: ExperimentForm, key: number): ExperimentForm {
  if (form.concepts.length <= 1) return form
  return { ...form, concepts: form.concepts.filter((c) => c.key !== key) }
}

export function editConcept(
  form: ExperimentForm,
  key: number,
  patch: Partial<Omit<ConceptRow, 'key'>>,
): ExperimentForm {
  return { ...form, concepts: form.concepts.map((c) => (c.key === key ? { ...c, ...patch } : c)) }
}

/** A template can be added when it has the {} placeholder. */
export function templateError(template: string): string | null {
  return template.includes('{}') ? null : 'Each template needs {} where the concept goes.'
}

export interface ConceptErrors {
  readonly concept?: string
  readonly anchor?: string
}

export interface FormErrors {
  readonly model?: string
  readonly concepts: readonly ConceptErrors[]
  readonly templates?: string
  readonly params: ParamErrors
  readonly gallery: GalleryErrors
}

export type FormValidation =
  | { readonly ok: true; readonly request: StartJob; readonly errors: FormErrors }
  | { readonly ok: false; readonly request: null; readonly errors: FormErrors }

function conceptErrors(c: ConceptRow, templates: readonly string[]): ConceptErrors {
  const parsed = conceptSchema.safeParse({ concept: c.concept, anchor: c.anchor, templates })
  if (parsed.success) return {}
  const out: { concept?: string; anchor?: string } = {}
  for (const issue of parsed.error.issues) {
    const field = issue.path[0]
    if ((field === 'concept' || field === 'anchor') && out[field] === undefined) {
      out[field] =
        field === 'concept' && c.concept.trim() === ''
          ? 'Name the concept to erase.'
          : issue.message
    }
  }
  return out
}

/** Checks everything with the contract's schemas; `request` is the job to start when valid. */
export function validateExperimentForm(form: ExperimentForm, projectId: string): FormValidation {
  const { params, errors: paramErrors } = validateParams(form.params)
  const { gallery, errors: galleryErrors } = validateGallery(form.gallery)
  const concepts = form.concepts.map((c) => conceptErrors(c, form.templates))
  const templates = form.templates.length === 0 ? 'Add at least one template.' : undefined
  const errors: FormErrors = {
    ...(form.modelId === '' ? { model: 'Choose the model to erase from.' } : {}),
    concepts,
    ...(templates ? { templates } : {}),
    params: paramErrors,
    gallery: galleryErrors,
  }
  const spec = erasureSpecSchema.safeParse({
    preset: form.preset,
    concepts: form.concepts.map((c) => ({
      concept: c.concept,
      anchor: c.anchor,
      templates: form.templates,
    })),
    preserve: form.preserve,
    probes: form.probes,
  })
  if (!spec.success || params === null || gallery === null || form.modelId === '') {
    return { ok: false, request: null, errors }
  }
  const name = form.name.trim()
  const request: StartJob = {
    kind: 'erase',
    projectId,
    modelId: form.modelId,
    ...(name === '' ? {} : { name }),
    spec: spec.data,
    params,
    gallery,
    ...(form.evaluate ? { evaluate: true } : {}),
  }
  return { ok: true, request, errors }
}

/** Every message of a failed validation, labelled, for the summary next to Start. */
export function formProblems(errors: FormErrors): string[] {
  const out: string[] = []
  if (errors.model) out.push(errors.model)
  errors.concepts.forEach((c, i) => {
    const where = errors.concepts.length > 1 ? `Concept ${i + 1}: ` : ''
    if (c.concept) out.push(`${where}${c.concept}`)
    if (c.anchor) out.push(`${where}${c.anchor}`)
  })
  if (errors.templates) out.push(errors.templates)
  out.push(...Object.values(errors.params), ...Object.values(errors.gallery))
  return out
}

export interface FormSummary {
  readonly erasurePrompts: number
  readonly neighbors: number | null
  readonly beyond: number | null
  readonly galleryImages: number
}

/** What a run will do, from the typed values (null where a value is not a number yet). */
export function formSummary(form: ExperimentForm): FormSummary {
  const erasurePrompts = form.concepts.length * form.templates.length
  const count = (text: string): number | null => {
    const n = Number(text)
    return text.trim() !== '' && Number.isInteger(n) && n >= 0 ? n : null
  }
  const m = count(form.params.m)
  const n = count(form.params.n)
  const variant = form.params.variant
  const seeds = form.gallery.seeds.split(/[\s,;]+/).filter((s) => s !== '').length
  const prompts = form.concepts.length + form.probes.length + form.preserve.length
  return {
    erasurePrompts,
    neighbors: variant === 'closed-form' ? 0 : m === null ? null : m * erasurePrompts,
    beyond:
      variant === 'closed-form' || variant === 'mining'
        ? 0
        : n === null
          ? null
          : n * erasurePrompts,
    galleryImages: form.gallery.enabled ? prompts * seeds * 2 : 0,
  }
}
