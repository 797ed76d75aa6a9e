import { describe, expect, it } from 'vitest'
import type { GenerationParams } from '../../../src/shared/contract'
import { generationParamsSchema } from '../../../src/shared/contract'
import {
  defaultLoraForm,
  loraFormFromParams,
  loraLabel,
  validateLoraForm,
  withLora,
} from '../../../src/renderer/src/features/generate/lora-model'

const on = (patch: Partial<typeof defaultLoraForm> = {}): typeof defaultLoraForm => ({
  enabled: true,
  path: '/loras/style.safetensors',
  scale: '1',
  ...patch,
})

const base: GenerationParams = generationParamsSchema.parse({ prompt: 'a fox' })

describe('generate form: LoRA section', () => {
  it('adds nothing while off, whatever is typed', () => {
    expect(validateLoraForm(defaultLoraForm)).toEqual({ ok: true, lora: undefined, errors: {} })
    expect(validateLoraForm({ enabled: false, path: 'x', scale: 'lots' }).ok).toBe(true)
  })

  it('turns the file and strength into the contract’s lora', () => {
    expect(validateLoraForm(on({ path: ' /loras/style.safetensors ', scale: '-0.5' }))).toEqual({
      ok: true,
      lora: { path: '/loras/style.safetensors', scale: -0.5 },
      errors: {},
    })
    expect(validateLoraForm(on({ path: 'C:\\loras\\a.safetensors' })).ok).toBe(true)
  })

  it('says what is wrong, in words', () => {
    expect(validateLoraForm(on({ path: '', scale: '' })).errors).toEqual({
      path: 'Enter the path of a LoRA file (.safetensors).',
      scale: 'Enter a value for strength.',
    })
    expect(validateLoraForm(on({ path: 'style.safetensors', scale: 'x' })).errors).toEqual({
      path: 'Enter the full path of the file.',
      scale: 'Strength must be a number.',
    })
    expect(validateLoraForm(on({ scale: '11' })).errors).toEqual({
      scale: 'Strength must be at most 10.',
    })
    expect(validateLoraForm(on({ scale: '-10.5' })).errors).toEqual({
      scale: 'Strength must be at least -10.',
    })
  })

  it('sets or removes params.lora, and the result passes the contract', () => {
    const lora = { path: '/l.safetensors', scale: 0.8 }
    const withIt = withLora(base, lora)
    expect(withIt.lora).toEqual(lora)
    expect(generationParamsSchema.parse(withIt)).toEqual(withIt)
    expect('lora' in withLora(withIt, undefined)).toBe(false)
  })

  it('round-trips an image’s LoRA into the form', () => {
    const params = withLora(base, { path: '/l/x.safetensors', scale: 0.8 })
    expect(loraFormFromParams(params)).toEqual({
      enabled: true,
      path: '/l/x.safetensors',
      scale: '0.8',
    })
    expect(loraFormFromParams(base)).toEqual(defaultLoraForm)
    expect(loraLabel({ path: '/l/x.safetensors', scale: 0.8 })).toBe('x.safetensors at 0.8')
  })
})
