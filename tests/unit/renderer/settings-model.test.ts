// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { resolvePaletteMode } from '../../../src/renderer/src/app/theme'
import {
  describeThreads,
  isProviderChoice,
  parseThreads,
  providerOptions,
} from '../../../src/renderer/src/features/settings/model'

describe('settings view logic', () => {
  it('resolves the theme setting, following the system for "system"', () => {
    expect(resolvePaletteMode('light', true)).toBe('light')
    expect(resolvePaletteMode('dark', false)).toBe('dark')
    expect(resolvePaletteMode('system', true)).toBe('dark')
    expect(resolvePaletteMode('system', false)).toBe('light')
  })

  it('parses the thread count', () => {
    expect(parseThreads('0')).toEqual({ ok: true, value: 0 })
    expect(parseThreads(' 8 ')).toEqual({ ok: true, value: 8 })
    expect(parseThreads('257')).toEqual({ ok: false, error: 'Enter a whole number from 0 to 256.' })
    expect(parseThreads('2.5').ok).toBe(false)
    expect(parseThreads('-1').ok).toBe(false)
    expect(parseThreads('').ok).toBe(false)
    expect(describeThreads(0)).toMatch(/^Automatic/)
  })

  it('offers every execution provider of the contract', () => {
    expect(providerOptions.map((o) => o.value)).toEqual([
      'auto',
      'cpu',
      'cuda',
      'dml',
      'coreml',
      'webgpu',
    ])
    expect(isProviderChoice('cuda')).toBe(true)
    expect(isProviderChoice('tpu')).toBe(false)
  })
})
