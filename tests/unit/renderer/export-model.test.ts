import { describe, expect, it } from 'vitest'
import type { ExportPreview } from '../../../src/shared/contract'
import { exportOptionsSchema } from '../../../src/shared/contract'
import {
  defaultExportPath,
  errorHint,
  exportFormFor,
  formatRelError,
  shortHash,
  validateExportForm,
  withFormat,
} from '../../../src/renderer/src/features/export/model'

const preview = (maxRelError: number): ExportPreview => ({
  layers: [{ path: 'mid.to_k', rank: 4, relError: maxRelError }],
  maxRelError,
  bytes: 1000,
})

describe('export dialog logic', () => {
  it('proposes a path per format, relative to the project', () => {
    expect(defaultExportPath(3, 'kohya')).toBe('exports/3-kohya.safetensors')
    expect(defaultExportPath(3, 'peft')).toBe('exports/3-peft.safetensors')
    expect(defaultExportPath(3, 'merged')).toBe('exports/3-merged/')
    expect(exportFormFor(7)).toMatchObject({
      format: 'kohya',
      rank: '4',
      dtype: 'fp16',
      out: 'exports/7-kohya.safetensors',
    })
  })

  it('lets the path follow the format until the user types one', () => {
    const form = withFormat(exportFormFor(2), 'merged', 2)
    expect(form.out).toBe('exports/2-merged/')
    const typed = { ...form, out: '/tmp/mine', outEdited: true }
    expect(withFormat(typed, 'peft', 2).out).toBe('/tmp/mine')
  })

  it('validates with exportOptionsSchema and sends only what the format uses', () => {
    const form = exportFormFor(1)
    expect(validateExportForm(form).options).toEqual(exportOptionsSchema.parse({}))
    expect(validateExportForm({ ...form, rank: '0' }).errors.rank).toBe('Rank must be at least 1.')
    expect(validateExportForm({ ...form, rank: '2.5' }).errors.rank).toBe(
      'Rank must be a whole number.',
    )
    expect(validateExportForm({ ...form, rank: '' }).errors.rank).toBe('Enter a value for Rank.')
    expect(validateExportForm({ ...form, out: ' ' }).errors.out).toBe(
      'Choose where to save the export.',
    )
    // Full-rank ignores the rank field; PEFT has no full-rank.
    expect(validateExportForm({ ...form, rank: 'x', fullRank: true }).options?.fullRank).toBe(true)
    expect(validateExportForm({ ...form, format: 'peft', fullRank: true }).options?.fullRank).toBe(
      false,
    )
    expect(validateExportForm({ ...form, format: 'merged', rank: 'x' }).options?.format).toBe(
      'merged',
    )
  })

  it('hints at the fix when the saved file loses too much of the edit', () => {
    const kohya = exportOptionsSchema.parse({ format: 'kohya', rank: 4 })
    expect(errorHint(preview(0.004), kohya)).toBeNull()
    expect(errorHint(preview(0.736), kohya)).toBe(
      'At rank 4 up to 74 % of the edit is lost: raise the rank or use full-rank.',
    )
    expect(errorHint(preview(0.2), { ...kohya, format: 'peft' })).toMatch(
      /raise the rank \(or export kohya/,
    )
    expect(errorHint(preview(0.02), { ...kohya, fullRank: true })).toMatch(/choose fp32/)
    expect(errorHint(preview(0.5), { ...kohya, format: 'merged' })).toBeNull()
  })

  it('formats errors and checksums for reading', () => {
    expect(formatRelError(0)).toBe('0 %')
    expect(formatRelError(0.7364)).toBe('74 %')
    expect(formatRelError(0.000123)).toBe('0.012 %')
    expect(shortHash('a'.repeat(64))).toBe(`${'a'.repeat(10)}…${'a'.repeat(6)}`)
  })
})
