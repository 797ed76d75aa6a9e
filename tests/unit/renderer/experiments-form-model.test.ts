import { describe, expect, it } from 'vitest'
import {
  erasureParamsSchema,
  erasureParamsShape,
  startEraseSchema,
} from '../../../src/shared/contract'
import type { ExperimentForm } from '../../../src/renderer/src/features/experiments/form-model'
import {
  addConcept,
  applyPreset,
  editConcept,
  emptyForm,
  formFromExperiment,
  formProblems,
  formSummary,
  removeConcept,
  templateError,
  validateExperimentForm,
} from '../../../src/renderer/src/features/experiments/form-model'
import {
  defaultGalleryForm,
  parseSeeds,
  validateGallery,
} from '../../../src/renderer/src/features/experiments/gallery-form-model'
import {
  defaultParams,
  defaultParamsForm,
  isDefaultValue,
  numberParamKeys,
  paramGroups,
  paramLabels,
  paramValueText,
  patchParamsForm,
  validateParams,
} from '../../../src/renderer/src/features/experiments/params-model'
import { artistPreset, experiment } from './helpers/experiment-fixtures'

describe('parameters form ↔ erasureParamsSchema', () => {
  it('starts from the contract defaults and parses back to them', () => {
    expect(defaultParams).toEqual(erasureParamsSchema.parse({}))
    const v = validateParams(defaultParamsForm)
    expect(v.errors).toEqual({})
    expect(v.params).toEqual(defaultParams)
  })

  it('places every parameter in exactly one group, each with a label', () => {
    const grouped = paramGroups.flatMap((g) => g.keys)
    expect([...grouped].sort()).toEqual(Object.keys(erasureParamsShape).sort())
    expect(new Set(grouped).size).toBe(grouped.length)
    for (const key of grouped) expect(paramLabels[key]).toBeTruthy()
    expect(numberParamKeys).toContain('m')
    expect(numberParamKeys).not.toContain('variant')
  })

  it('names the parameter in cross-field messages, as the host does', () => {
    const v = validateParams({ ...defaultParamsForm, s2: '0.995' })
    expect(v.params).toBeNull()
    expect(v.errors).toEqual({
      s2: 'S2 (0.995) must not exceed S1 (0.99): no cosine can lie between them.',
    })
    const d = validateParams({ ...defaultParamsForm, d2: '0.5' })
    expect(d.errors.d2).toMatch(/^D2 \(0.5\) must be larger than D1 \(0.5\)/)
  })

  it('explains blank, non-numeric, fractional and out-of-range values in the field’s words', () => {
    const v = validateParams({
      ...defaultParamsForm,
      d1: '',
      lambda: 'abc',
      m: '2.5',
      s1: '1.5',
      d1Anchor: '-1',
      lambda1: '0',
    })
    expect(v.errors.d1).toBe('Enter a value for D1.')
    expect(v.errors.lambda).toBe('λ must be a number.')
    expect(v.errors.m).toBe('M must be a whole number.')
    expect(v.errors.s1).toBe('S1 must be at most 1.')
    expect(v.errors.d1Anchor).toBe("D1' must be at least 0.")
    expect(v.errors.lambda1).toBeUndefined()
    expect(validateParams({ ...defaultParamsForm, d1: '0' }).errors.d1).toBe(
      'D1 must be greater than 0.',
    )
  })

  it('applies the variant rules of M and N', () => {
    expect(validateParams({ ...defaultParamsForm, m: '0' }).errors.m).toBe(
      'M must be at least 1 for neighbor mining.',
    )
    expect(
      validateParams({ ...defaultParamsForm, m: '0', n: '0', variant: 'closed-form' }).errors,
    ).toEqual({})
  })

  it('compares defaults by value and describes values in words', () => {
    expect(isDefaultValue('d1', '0.50')).toBe(true)
    expect(isDefaultValue('d1', '')).toBe(false)
    expect(paramValueText('variant', 'mining')).toBe('+ neighbor-concept mining')
    expect(paramValueText('preserveUnconditional', false)).toBe('No')
    expect(paramValueText('distanceUnit', 'relative')).toBe('Relative to ‖e‖')
    expect(paramValueText('m', 10)).toBe('10')
  })

  it('takes only known, well-typed values from a preset', () => {
    const p = patchParamsForm(defaultParamsForm, {
      variant: 'closed-form',
      m: 7,
      s1: 'x',
      bogus: 1,
    })
    expect(p.variant).toBe('closed-form')
    expect(p.m).toBe('7')
    expect(p.s1).toBe(defaultParamsForm.s1)
  })
})

describe('gallery settings form', () => {
  it('parses seeds separated by commas or spaces', () => {
    expect(parseSeeds('1, 2 3')).toEqual({ seeds: [1, 2, 3] })
    expect(parseSeeds(' ')).toEqual({ error: 'Enter at least one seed.' })
    expect(parseSeeds('1, x')).toEqual({
      error: 'Seeds are whole numbers from 0 up, separated by commas ("x" is not).',
    })
  })

  it('validates with gallerySettingsSchema; a blank size means the model’s own', () => {
    expect(validateGallery(defaultGalleryForm).gallery).toMatchObject({ seeds: [1, 2], steps: 25 })
    expect(validateGallery({ ...defaultGalleryForm, size: '' }).gallery?.size).toBeUndefined()
    expect(validateGallery({ ...defaultGalleryForm, size: '60' }).errors.size).toBe(
      'The gallery size must be a multiple of 8.',
    )
    expect(validateGallery({ ...defaultGalleryForm, steps: '0' }).errors.steps).toBe(
      'Steps must be at least 1.',
    )
  })
})

describe('experiment form', () => {
  it('fills templates, every anchor, the lists and the preset’s parameters', () => {
    const form = applyPreset(addConcept(emptyForm('m1'), ''), artistPreset)
    expect(form.preset).toBe('artist')
    expect(form.concepts.map((c) => c.anchor)).toEqual(['art', 'art'])
    expect(form.templates).toEqual(artistPreset.templates)
    expect(form.preserve).toEqual(['Claude Monet', 'Pablo Picasso'])
    expect(form.probes).toEqual(['The Starry Night'])
    expect(form.params.variant).toBe('mining')
    expect(form.params.m).toBe('25')
  })

  it('produces the job the host accepts, with the shared templates on every concept', () => {
    let form = applyPreset(emptyForm('m1'), artistPreset)
    form = editConcept(form, form.concepts[0]!.key, { concept: 'van gogh' })
    form = addConcept(form, 'art')
    form = editConcept(form, form.concepts[1]!.key, { concept: 'monet', anchor: 'a painting' })
    const v = validateExperimentForm(form, 'p1')
    expect(formProblems(v.errors)).toEqual([])
    if (!v.ok) throw new Error('expected a valid form')
    expect(v.request.kind).toBe('erase')
    const parsed = startEraseSchema.parse(v.request)
    expect(parsed.spec.concepts).toEqual([
      { concept: 'van gogh', anchor: 'art', templates: artistPreset.templates },
      { concept: 'monet', anchor: 'a painting', templates: artistPreset.templates },
    ])
    expect(parsed.params.m).toBe(25)
    expect(parsed).not.toHaveProperty('name')
    expect(parsed).not.toHaveProperty('evaluate')
  })

  it('asks the erase job to evaluate when the switch is on, and only then', () => {
    let form = editConcept(emptyForm('m1'), 1, { concept: 'red' })
    form = { ...form, templates: ['a {} circle'], evaluate: true }
    const v = validateExperimentForm(form, 'p1')
    if (!v.ok) throw new Error('expected a valid form')
    expect(startEraseSchema.parse(v.request).evaluate).toBe(true)
    expect(formFromExperiment(experiment()).evaluate).toBe(false)
  })

  it('lists what blocks Start: model, concept, anchor, templates, parameters', () => {
    let form: ExperimentForm = { ...emptyForm(''), templates: [] }
    form = editConcept(form, 1, { concept: 'cat', anchor: 'Cat' })
    const v = validateExperimentForm({ ...form, params: { ...form.params, s2: '1' } }, 'p1')
    expect(v.ok).toBe(false)
    expect(formProblems(v.errors)).toEqual([
      'Choose the model to erase from.',
      'The anchor must differ from the concept: erasing "X" into "X" changes nothing.',
      'Add at least one template.',
      'S2 (1) must not exceed S1 (0.99): no cosine can lie between them.',
    ])
    expect(validateExperimentForm(emptyForm('m1'), 'p1').errors.concepts[0]?.concept).toBe(
      'Name the concept to erase.',
    )
    expect(templateError('a photo of')).toBe('Each template needs {} where the concept goes.')
    expect(templateError('a photo of {}')).toBeNull()
  })

  it('keeps at least one concept row', () => {
    const one = emptyForm('m1')
    expect(removeConcept(one, 1)).toBe(one)
    const two = addConcept(one, 'x')
    expect(removeConcept(two, 1).concepts.map((c) => c.anchor)).toEqual(['x'])
  })

  it('duplicates an experiment: the form gives back its spec, parameters and gallery', () => {
    const exp = experiment()
    const form = formFromExperiment(exp)
    expect(form.name).toBe('')
    const v = validateExperimentForm(form, exp.projectId)
    if (!v.ok) throw new Error(formProblems(v.errors).join('; '))
    const parsed = startEraseSchema.parse(v.request)
    expect(parsed.spec).toEqual(exp.spec)
    expect(parsed.params).toEqual(exp.params)
    expect(parsed.gallery).toEqual(exp.gallery)
    expect(parsed.modelId).toBe(exp.modelId)
  })

  it('summarises the run from the typed values', () => {
    const form = formFromExperiment(experiment())
    expect(formSummary(form)).toEqual({
      erasurePrompts: 2,
      neighbors: 20,
      beyond: 20,
      galleryImages: 6,
    })
    const closed = { ...form, params: { ...form.params, variant: 'closed-form' as const } }
    expect(formSummary(closed)).toMatchObject({ neighbors: 0, beyond: 0 })
    const typing = { ...form, params: { ...form.params, m: '' } }
    expect(formSummary(typing).neighbors).toBeNull()
  })
})
