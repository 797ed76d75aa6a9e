import { describe, expect, it } from 'vitest'
import type { ImageInfo, JobSnapshot, Model } from '../../../src/shared/contract'
import {
  MAX_SEED,
  defaultForm,
  defaultParams,
  formFromParams,
  generatePhaseLabel,
  generatedKey,
  isSmallImage,
  latestGenerateJob,
  modelNameFor,
  paramsSummary,
  pickModelId,
  randomSeed,
  resultImage,
  seedAndSteps,
  validateGenerateForm,
} from '../../../src/renderer/src/features/generate/model'

const form = (patch: Partial<ReturnType<typeof defaultForm>> = {}) => ({
  ...defaultForm('m1'),
  prompt: 'a red fox',
  ...patch,
})

const image: ImageInfo = {
  id: 'i1',
  modelId: 'm1',
  path: 'images/i1.png',
  params: { ...defaultParams, prompt: 'a fox', seed: 42, steps: 6, width: 64, height: 64 },
  provider: 'cpu',
  durationMs: 90,
  createdAt: 1,
}

const job = (patch: Partial<JobSnapshot>): JobSnapshot => ({
  id: 'j',
  kind: 'generate',
  projectId: 'p',
  title: 'j',
  state: 'running',
  progress: null,
  result: null,
  error: null,
  lastSeq: 1,
  createdAt: 1,
  startedAt: null,
  endedAt: null,
  ...patch,
})

const model = (id: string, missing = false): Model =>
  ({ id, name: `Model ${id}`, missing }) as unknown as Model

describe('generate form', () => {
  it("starts from the contract's defaults", () => {
    expect(defaultForm('m1')).toEqual({
      modelId: 'm1',
      prompt: '',
      negativePrompt: '',
      seed: '0',
      steps: '30',
      guidance: '7.5',
      scheduler: 'pndm',
      width: '512',
      height: '512',
    })
  })

  it('turns valid text into the parameters the host expects', () => {
    const v = validateGenerateForm(form({ seed: ' 7 ', steps: '6', width: '64', height: '64' }))
    expect(v).toEqual({
      ok: true,
      errors: {},
      params: {
        prompt: 'a red fox',
        negativePrompt: '',
        seed: 7,
        steps: 6,
        guidance: 7.5,
        scheduler: 'pndm',
        width: 64,
        height: 64,
      },
    })
  })

  it('says what is wrong with each field, in words', () => {
    const v = validateGenerateForm(
      form({
        seed: '',
        steps: '501',
        guidance: 'lots',
        width: '100',
        height: '4',
        scheduler: 'ddim',
      }),
    )
    expect(v.ok).toBe(false)
    expect(v.errors).toEqual({
      seed: 'Enter a value for seed.',
      steps: 'Steps must be at most 500.',
      guidance: 'Guidance must be a number.',
      width: 'Width must be a multiple of 8 (latents are 1/8 of the image).',
      height: 'Height must be at least 8.',
    })
    expect(validateGenerateForm(form({ steps: '2.5' })).errors).toEqual({
      steps: 'Steps must be a whole number.',
    })
    expect(validateGenerateForm(form({ seed: String(MAX_SEED + 1) })).errors.seed).toBe(
      'Seed must be at most 4294967295.',
    )
    expect(validateGenerateForm(form({ prompt: 'x'.repeat(2001) })).errors.prompt).toBe(
      'The prompt must be at most 2000 characters.',
    )
  })

  it('round-trips an image’s parameters into the form', () => {
    const f = formFromParams(image.params, 'm1')
    expect(validateGenerateForm(f)).toMatchObject({ ok: true, params: image.params })
  })

  it('draws random seeds from the whole allowed range', () => {
    expect(randomSeed(() => 0)).toBe(0)
    expect(randomSeed(() => 0.999999999999)).toBe(MAX_SEED)
    const s = randomSeed()
    expect(Number.isInteger(s) && s >= 0 && s <= MAX_SEED).toBe(true)
  })
})

describe('generate view helpers', () => {
  it('names the phases and summarises parameters', () => {
    expect(generatePhaseLabel('denoise')).toBe('Denoising')
    expect(generatePhaseLabel('warmup')).toBe('warmup')
    expect(paramsSummary(image.params)).toBe('seed 42 · 6 steps · PNDM (PLMS)')
    expect(seedAndSteps({ ...image.params, steps: 1 })).toBe('seed 42 · 1 step')
    expect(isSmallImage(image.params)).toBe(true)
    expect(isSmallImage({ width: 512, height: 512 })).toBe(false)
  })

  it('finds the newest generate job, its image, and the gallery reload key', () => {
    const jobs = [
      job({ id: 'v', kind: 'verify-project' }),
      job({ id: 'g2', state: 'cancelled' }),
      job({ id: 'g1', state: 'succeeded', result: image }),
    ]
    expect(latestGenerateJob(jobs)?.id).toBe('g2')
    expect(resultImage(jobs[1]!)).toBeNull()
    expect(resultImage(jobs[2]!)).toEqual(image)
    expect(resultImage(job({ state: 'succeeded', result: { nope: 1 } }))).toBeNull()
    expect(generatedKey(jobs)).toBe('g1')
  })

  it('picks a usable model and names the model of an image', () => {
    const models = [model('a', true), model('b'), model('c')]
    expect(pickModelId(models, 'c')).toBe('c')
    expect(pickModelId(models, 'a')).toBe('b')
    expect(pickModelId(models, undefined)).toBe('b')
    expect(pickModelId([model('a', true)], 'a')).toBe('')
    expect(modelNameFor({ ...image, modelId: 'c' }, models)).toBe('Model c')
    expect(modelNameFor({ ...image, modelId: 'gone' }, models)).toBe('Removed model')
    expect(modelNameFor({ ...image, modelId: null }, models)).toBe('Unknown model')
  })
})
