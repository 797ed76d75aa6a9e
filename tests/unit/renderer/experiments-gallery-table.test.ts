import { describe, expect, it } from 'vitest'
import {
  pairGallery,
  sectionSummary,
} from '../../../src/renderer/src/features/experiments/gallery-model'
import {
  conceptsText,
  eraseJobsKey,
  filterExperiments,
  isFiltered,
  sortExperiments,
  toggleSort,
} from '../../../src/renderer/src/features/experiments/table-model'
import { experiment, galleryImage } from './helpers/experiment-fixtures'

describe('gallery pairs', () => {
  it('pairs original and erased by group, prompt and seed, in a fixed group order', () => {
    const images = [
      galleryImage({ group: 'preserved', prompt: 'monet', seed: 1, role: 'original' }),
      galleryImage({ group: 'erasure', prompt: 'gogh', seed: 2, role: 'original' }),
      galleryImage({ group: 'erasure', prompt: 'gogh', seed: 1, role: 'original' }),
      galleryImage({ group: 'erasure', prompt: 'gogh', seed: 1, role: 'erased' }),
      galleryImage({ group: 'erasure', prompt: 'gogh', seed: 2, role: 'erased' }),
      galleryImage({ group: 'erasure', prompt: 'alpha', seed: 1, role: 'erased' }),
      galleryImage({ group: 'preserved', prompt: 'monet', seed: 1, role: 'erased' }),
    ]
    const sections = pairGallery(images)
    expect(sections.map((s) => s.group)).toEqual(['erasure', 'preserved'])
    const erasure = sections[0]!.pairs
    expect(erasure.map((p) => `${p.prompt}/${p.seed}`)).toEqual(['gogh/1', 'gogh/2', 'alpha/1'])
    expect(erasure[0]?.original?.role).toBe('original')
    expect(erasure[0]?.erased?.role).toBe('erased')
    expect(erasure[2]?.original).toBeNull()
    expect(sectionSummary(sections[0]!)).toBe('2 prompts × 2 seeds')
    expect(sectionSummary(sections[1]!)).toBe('1 prompt × 1 seed')
    expect(new Set(sections.flatMap((s) => s.pairs.map((p) => p.key))).size).toBe(4)
  })

  it('keeps the same prompt in two groups apart', () => {
    const sections = pairGallery([
      galleryImage({ group: 'probe', prompt: 'x', role: 'original' }),
      galleryImage({ group: 'preserved', prompt: 'x', role: 'original' }),
    ])
    expect(sections.map((s) => s.pairs.length)).toEqual([1, 1])
  })
})

describe('experiments table', () => {
  const list = [
    experiment({ id: 'a', number: 1, name: 'Erase van gogh', status: 'succeeded', createdAt: 1 }),
    experiment({
      id: 'b',
      number: 2,
      name: 'Monet sweep',
      status: 'cancelled',
      createdAt: 2,
      params: { ...experiment().params, m: 500, variant: 'closed-form' },
      spec: {
        ...experiment().spec,
        concepts: [{ concept: 'monet', anchor: '', templates: ['{}'] }],
      },
    }),
    experiment({ id: 'c', number: 3, name: 'Another', status: 'failed', createdAt: 3 }),
  ]

  it('writes concepts with their anchors', () => {
    expect(conceptsText(list[0]!)).toBe('van gogh → art')
    expect(conceptsText(list[1]!)).toBe('monet → (empty)')
  })

  it('filters by text (number, name, concept), status and variant', () => {
    const ids = (f: Parameters<typeof filterExperiments>[1]): string[] =>
      filterExperiments(list, f).map((e) => e.id)
    const none = { text: '', status: 'all', variant: 'all' } as const
    expect(ids(none)).toEqual(['a', 'b', 'c'])
    expect(isFiltered(none)).toBe(false)
    expect(ids({ ...none, text: 'MONET' })).toEqual(['b'])
    expect(ids({ ...none, text: '#3' })).toEqual(['c'])
    expect(ids({ ...none, text: 'gogh art' })).toEqual(['a', 'c'])
    expect(ids({ ...none, status: 'cancelled' })).toEqual(['b'])
    expect(ids({ ...none, variant: 'mining-beyond' })).toEqual(['a', 'c'])
    expect(isFiltered({ ...none, variant: 'mining' })).toBe(true)
  })

  it('sorts by any column; ties keep the newest first', () => {
    const ids = (key: Parameters<typeof toggleSort>[1], direction: 'asc' | 'desc'): string[] =>
      sortExperiments(list, { key, direction }).map((e) => e.id)
    expect(ids('number', 'desc')).toEqual(['c', 'b', 'a'])
    expect(ids('name', 'asc')).toEqual(['c', 'a', 'b'])
    expect(ids('m', 'desc')).toEqual(['b', 'c', 'a'])
    expect(ids('status', 'asc')).toEqual(['b', 'c', 'a'])
    expect(toggleSort({ key: 'number', direction: 'desc' }, 'number')).toEqual({
      key: 'number',
      direction: 'asc',
    })
    expect(toggleSort({ key: 'number', direction: 'desc' }, 'name')).toEqual({
      key: 'name',
      direction: 'asc',
    })
    expect(toggleSort({ key: 'name', direction: 'asc' }, 's2')).toEqual({
      key: 's2',
      direction: 'desc',
    })
  })

  it('keys reloads on erase and resume jobs only', () => {
    const jobs = [
      { kind: 'erase', id: 'j1', state: 'running' },
      { kind: 'generate', id: 'j2', state: 'running' },
      { kind: 'resume-erase', id: 'j3', state: 'queued' },
    ]
    expect(eraseJobsKey(jobs)).toBe('j1:running,j3:queued')
  })
})
