import { describe, expect, it } from 'vitest'
import type { Experiment, ExperimentMetrics } from '../../../src/shared/contract'
import { erasureParamsSchema } from '../../../src/shared/contract'
import type { CompareSection } from '../../../src/renderer/src/features/compare/compare-model'
import {
  differenceSummary,
  markBest,
  onlyDifferences,
  parameterSections,
  resolveSelection,
  resultSections,
} from '../../../src/renderer/src/features/compare/compare-model'
import {
  galleryVerdict,
  gallerySettingsDifference,
  matchedCount,
  tripleGallery,
} from '../../../src/renderer/src/features/compare/compare-gallery-model'
import {
  anyMetrics,
  selectedInOrder,
  sortExperiments,
} from '../../../src/renderer/src/features/experiments/table-model'
import { experiment, galleryImage } from './helpers/experiment-fixtures'

const metrics = (over: Partial<ExperimentMetrics>): ExperimentMetrics => ({
  evaluator: 'shapeworld-pixels',
  accE: 0.2,
  accS: 0.9,
  accG: 0.3,
  ho: 0.8,
  counts: { erasure: 8, preserved: 8, generalization: 8 },
  seeds: [1, 2],
  evaluatedAt: 10,
  ...over,
})

const modelName = (e: Experiment): string => (e.modelId === 'm1' ? 'tiny-sd1' : 'other')

const rowOf = (sections: readonly CompareSection[], key: string) => {
  const row = sections.flatMap((s) => s.rows).find((r) => r.key === key)
  if (!row) throw new Error(`no row ${key}`)
  return row
}

const a = experiment({ id: 'a', number: 1, name: 'A' })
const b = experiment({
  id: 'b',
  number: 2,
  name: 'B',
  params: erasureParamsSchema.parse({ m: 20, n: 10, variant: 'full', loraRank: 2 }),
})

describe('compare model: parameters', () => {
  it('has a row for every parameter, spec field and gallery setting, marking the ones that differ', () => {
    const sections = parameterSections([a, b], modelName)
    expect(sections.map((s) => s.id)).toEqual([
      'erased',
      'method',
      'neighborhood',
      'closed-form',
      'lora',
      'gallery',
    ])
    const keys = sections.flatMap((s) => s.rows.map((r) => r.key))
    for (const key of Object.keys(erasureParamsSchema.parse({}))) expect(keys).toContain(key)
    expect(keys).toEqual(
      expect.arrayContaining(['model', 'concepts', 'gallery.steps', 'gallery.size']),
    )

    const m = rowOf(sections, 'm')
    expect(m.label).toBe('M')
    expect(m.cells.map((c) => c.text)).toEqual(['10', '20'])
    expect(m.differs).toBe(true)
    expect(m.hint).toMatch(/Neighbor samples/)
    expect(rowOf(sections, 'n').differs).toBe(false)
    expect(rowOf(sections, 'variant').cells.map((c) => c.text)).toEqual([
      '+ beyond-concept regularization (stage 1)',
      'Full RealEra (stage 1 + LoRA noise alignment)',
    ])
    // LoRA settings are unused by the stage-1 run only.
    const rank = rowOf(sections, 'loraRank')
    expect(rank.cells).toEqual([{ text: '1', unused: true }, { text: '2' }])
    expect(rowOf(sections, 'model').cells[0]?.text).toBe('tiny-sd1')
    expect(rowOf(sections, 'gallery.size').cells[0]?.text).toBe('64 × 64')
  })

  it('keeps only differing rows and drops sections left empty; says how many differ', () => {
    const sections = parameterSections([a, b], modelName)
    const diff = onlyDifferences(sections)
    expect(diff.map((s) => s.id)).toEqual(['method', 'neighborhood', 'lora'])
    expect(diff.flatMap((s) => s.rows.map((r) => r.key))).toEqual(['variant', 'm', 'loraRank'])
    const total = sections.flatMap((s) => s.rows).length
    expect(differenceSummary(sections)).toBe(`3 of ${total} settings differ`)
    expect(differenceSummary(parameterSections([a, { ...a, id: 'c' }], modelName))).toBe(
      `All ${total} settings are the same`,
    )
  })
})

describe('compare model: results', () => {
  it('marks the best value per row by its direction, ties included, none when all equal', () => {
    expect(markBest([0.8, 0.6, 0.8], 'higher')).toEqual([true, false, true])
    expect(markBest([0.2, 0.1, null], 'lower')).toEqual([false, true, false])
    expect(markBest([0.5, 0.5], 'higher')).toEqual([false, false])
    expect(markBest([0.5, null], 'higher')).toEqual([false, false])
  })

  it('adds evaluation rows only when an experiment has metrics, with the best marked', () => {
    expect(resultSections([a, b]).map((s) => s.id)).toEqual(['run'])
    const evaluated = [
      { ...a, metrics: metrics({ ho: 0.8, accE: 0.2 }) },
      { ...b, metrics: metrics({ ho: 0.65, accE: 0.05 }) },
      experiment({ id: 'c', number: 3 }),
    ]
    const sections = resultSections(evaluated)
    expect(sections.map((s) => s.id)).toEqual(['metrics', 'run'])
    const ho = rowOf(sections, 'ho')
    expect(ho.better).toBe('higher')
    expect(ho.cells).toEqual([{ text: '80.0 %', best: true }, { text: '65.0 %' }, { text: '—' }])
    const accE = rowOf(sections, 'accE')
    expect(accE.better).toBe('lower')
    expect(accE.cells.map((c) => c.best ?? false)).toEqual([false, true, false])
    expect(rowOf(sections, 'evaluator').cells[2]?.text).toBe('Not evaluated')
  })

  it('compares timings, the total time and the final LoRA loss (lower is better)', () => {
    const slow = { ...a, timings: { ...a.timings, mineMs: 900 }, finishedAt: 9_000 }
    const lora = { ...b, lossCurve: [0.5, 0.2, 0.12], evalCurve: [[20, 0.3]] as [number, number][] }
    const sections = resultSections([slow, lora])
    const mine = rowOf(sections, 'time.mine')
    expect(mine.label).toBe('Mine neighbors')
    expect(mine.cells).toEqual([{ text: '900 ms' }, { text: '60 ms', best: true }])
    expect(rowOf(sections, 'time.total').cells.map((c) => c.text)).toEqual(['8 s', '5 s'])
    expect(rowOf(sections, 'loss').cells).toEqual([{ text: '—' }, { text: '0.120' }])
    expect(rowOf(sections, 'evalLoss').cells[1]?.text).toBe('0.300')
    expect(rowOf(sections, 'status').cells[0]?.text).toBe('Succeeded')
    expect(rowOf(sections, 'points.neighbor')).toMatchObject({
      label: 'Neighbor points',
      cells: [{ text: '20' }, { text: '20' }],
    })
  })
})

describe('compare model: selection', () => {
  it('keeps existing experiments, oldest first, and names the missing ids', () => {
    const c = experiment({ id: 'c', number: 3 })
    const sel = resolveSelection([c, b, a], ['c', 'gone', 'a', 'a'])
    expect(sel.chosen.map((e) => e.id)).toEqual(['a', 'c'])
    expect(sel.missing).toEqual(['gone'])
  })
})

describe('compare gallery model', () => {
  it('shows galleries only for exactly two experiments of the same model, saying why not', () => {
    expect(galleryVerdict([a, b])).toEqual({ ok: true, a, b })
    const reason = (v: ReturnType<typeof galleryVerdict>): string => (v.ok ? 'shown' : v.reason)
    expect(reason(galleryVerdict([a, b, experiment({ id: 'c', number: 3 })]))).toMatch(
      /two at a time; 3 experiments are chosen/,
    )
    expect(reason(galleryVerdict([a, { ...b, modelId: 'm2' }]))).toMatch(
      /^Experiments #1 and #2 erase from different models/,
    )
    expect(reason(galleryVerdict([a, { ...b, modelId: null }]))).toMatch(
      /model of experiment #2 was removed/,
    )
  })

  it('matches images by group, prompt and seed: original | erased A | erased B', () => {
    const img = (exp: string, over: Parameters<typeof galleryImage>[0]) =>
      galleryImage({ ...over, id: `${exp}-${over.group}-${over.role}-${over.prompt}-${over.seed}` })
    const aImages = [
      img('a', { group: 'erasure', role: 'original', prompt: 'van gogh', seed: 1 }),
      img('a', { group: 'erasure', role: 'erased', prompt: 'van gogh', seed: 1 }),
      img('a', { group: 'preserved', role: 'original', prompt: 'monet', seed: 1 }),
      img('a', { group: 'preserved', role: 'erased', prompt: 'monet', seed: 1 }),
    ]
    const bImages = [
      img('b', { group: 'erasure', role: 'original', prompt: 'van gogh', seed: 1 }),
      img('b', { group: 'erasure', role: 'erased', prompt: 'van gogh', seed: 1 }),
      img('b', { group: 'erasure', role: 'original', prompt: 'van gogh', seed: 2 }),
      img('b', { group: 'erasure', role: 'erased', prompt: 'van gogh', seed: 2 }),
    ]
    const sections = tripleGallery(aImages, bImages)
    expect(sections.map((s) => s.group)).toEqual(['erasure', 'preserved'])
    const [first, second] = sections[0]!.triples
    expect(first).toMatchObject({ seed: 1, original: { id: 'a-erasure-original-van gogh-1' } })
    expect(first?.a?.id).toBe('a-erasure-erased-van gogh-1')
    expect(first?.b?.id).toBe('b-erasure-erased-van gogh-1')
    // Only B drew seed 2: its own original, nothing for A.
    expect(second).toMatchObject({
      seed: 2,
      a: null,
      original: { id: 'b-erasure-original-van gogh-2' },
    })
    expect(sections[1]!.triples[0]).toMatchObject({ prompt: 'monet', b: null })
    expect(matchedCount(sections)).toBe(1)
  })

  it('names gallery settings that make the originals differ', () => {
    expect(gallerySettingsDifference(a, b)).toBeNull()
    const other = { ...b, gallery: { ...b.gallery, steps: 8, size: 128 } }
    expect(gallerySettingsDifference(a, other)).toBe('steps 4 and 8, size 64 and 128')
  })
})

describe('experiments table: metrics and selection', () => {
  it('sorts by H_o either way with unevaluated experiments last, and keeps the selection in order', () => {
    const list = [
      experiment({ id: 'x', number: 1 }),
      experiment({ id: 'y', number: 2, metrics: metrics({ ho: 0.4 }) }),
      experiment({ id: 'z', number: 3, metrics: metrics({ ho: 0.9 }) }),
    ]
    expect(anyMetrics(list)).toBe(true)
    expect(anyMetrics([list[0]!])).toBe(false)
    const ids = (dir: 'asc' | 'desc') =>
      sortExperiments(list, { key: 'ho', direction: dir }).map((e) => e.id)
    expect(ids('desc')).toEqual(['z', 'y', 'x'])
    expect(ids('asc')).toEqual(['y', 'z', 'x'])
    const sorted = sortExperiments(list, { key: 'ho', direction: 'desc' })
    expect(selectedInOrder(sorted, new Set(['x', 'z', 'gone']))).toEqual(['z', 'x'])
  })
})
