import { describe, expect, it } from 'vitest'
import type { Experiment } from '../../../src/shared/contract'
import { erasureSpecSchema, evaluationColors, evaluationShapes, startEraseSchema, startEvaluateSchema } from '../../../src/shared/contract'
import { StudioError } from '../../../src/shared/errors'
import type { ImageClassifier } from '../../../src/main/engine/eval/classifier'
import { shapeWorldClassifier } from '../../../src/main/engine/eval/shapeworld-classifier'
import { COLOR_NAMES, SHAPE_NAMES } from '../../../src/main/engine/shapeworld/world'
import { metricsTable } from '../../../src/main/cli/metrics-table'
import { conceptFromText, resolveEvaluationConcept } from '../../../src/main/services/evaluation-concept'

const exp = (...concepts: string[]): Pick<Experiment, 'number' | 'spec'> => ({
  number: 3,
  spec: erasureSpecSchema.parse({ preset: 'custom', concepts: concepts.map((concept) => ({ concept, anchor: '' })), preserve: [], probes: [] }),
})

const errorOf = (f: () => unknown): StudioError => {
  try {
    f()
  } catch (err) {
    if (err instanceof StudioError) return err
    throw err
  }
  throw new Error('expected a StudioError')
}

describe('the concept an evaluation judges', () => {
  it('the contract names the ShapeWorld colours and shapes exactly', () => {
    expect([...evaluationColors]).toEqual([...COLOR_NAMES])
    expect([...evaluationShapes]).toEqual([...SHAPE_NAMES])
  })

  it('reads colours, shapes, synonyms and associated phrases from the concept text', () => {
    expect(conceptFromText('red')).toEqual({ color: 'red' })
    expect(conceptFromText('  Red ')).toEqual({ color: 'red' })
    expect(conceptFromText('Crimson')).toEqual({ color: 'red' })
    expect(conceptFromText('circle')).toEqual({ shape: 'circle' })
    expect(conceptFromText('a red circle!')).toEqual({ color: 'red', shape: 'circle' })
    expect(conceptFromText('a ruby')).toEqual({ color: 'red', shape: 'diamond' })
    expect(conceptFromText('van gogh')).toEqual({})
    expect(conceptFromText('reddish')).toEqual({})
  })

  it('uses the requested concept, else the inferred one', () => {
    expect(resolveEvaluationConcept(exp('red'), undefined, shapeWorldClassifier)).toEqual({ color: 'red' })
    expect(resolveEvaluationConcept(exp('red', 'scarlet'), undefined, shapeWorldClassifier)).toEqual({ color: 'red' })
    expect(resolveEvaluationConcept(exp('van gogh'), { shape: 'star' }, shapeWorldClassifier)).toEqual({ shape: 'star' })
  })

  it('refuses a concept it cannot infer, naming it and the fix', () => {
    const e = errorOf(() => resolveEvaluationConcept(exp('van gogh'), undefined, shapeWorldClassifier))
    expect(e.code).toBe('invalid-input')
    expect(e.message).toMatch(/^Experiment 3 erases “van gogh”, which names no ShapeWorld colour \(red, green, blue, yellow, purple, orange\) or shape \(circle/)
    expect(e.message).toMatch(/--color or --shape with `realera evaluate`/)
    const mixed = errorOf(() => resolveEvaluationConcept(exp('red', 'circle'), undefined, shapeWorldClassifier))
    expect(mixed.message).toMatch(/erases several concepts \(“red” → colour red; “circle” → shape circle\) and an evaluation judges one/)
    expect(errorOf(() => resolveEvaluationConcept({ ...exp('van gogh'), number: 0 }, undefined, shapeWorldClassifier)).message).toMatch(/^This experiment erases/)
  })

  it('refuses a concept the classifier does not judge', () => {
    const colourOnly: ImageClassifier = { name: 'colour-only', labels: { color: ['red'] }, classify: () => ({ confidence: 0 }) }
    const e = errorOf(() => resolveEvaluationConcept(exp('circle'), undefined, colourOnly))
    expect(e.message).toMatch(/^The classifier 'colour-only' does not judge shape\. Name the concept to judge/)
  })

  it('the job inputs: defaults, limits, and erase’s optional evaluation', () => {
    const parsed = startEvaluateSchema.parse({ kind: 'evaluate', projectId: 'p', experimentId: 'e' })
    expect(parsed.seeds).toEqual([1, 2, 3, 4])
    expect(startEvaluateSchema.safeParse({ kind: 'evaluate', projectId: 'p', experimentId: 'e', concept: {} }).success).toBe(false)
    expect(startEvaluateSchema.safeParse({ kind: 'evaluate', projectId: 'p', experimentId: 'e', concept: { color: 'pink' } }).success).toBe(false)
    expect(startEvaluateSchema.safeParse({ kind: 'evaluate', projectId: 'p', experimentId: 'e', seeds: [] }).success).toBe(false)
    const erase = { kind: 'erase', projectId: 'p', modelId: 'm', spec: { preset: 'custom', concepts: [{ concept: 'red' }] }, params: {} }
    expect(startEraseSchema.parse(erase).evaluate).toBeUndefined()
    expect(startEraseSchema.parse({ ...erase, evaluate: true }).evaluate).toBe(true)
    expect(startEraseSchema.parse({ ...erase, evaluate: { seeds: [5] } }).evaluate).toEqual({ seeds: [5] })
  })
})

describe('the CLI metrics table', () => {
  it('prints every metric with its direction, the counts, seeds and how images were drawn', () => {
    const text = metricsTable({ number: 2, name: 'Erase red' } as Experiment, {
      evaluator: 'shapeworld-pixels',
      accE: 0.1,
      accS: 0.96,
      accG: 0.25,
      ho: 0.862,
      counts: { erasure: 10, preserved: 50, generalization: 13 },
      seeds: [1, 2],
      evaluatedAt: 0,
      concept: { color: 'red' },
      generation: { steps: 25, guidance: 7.5, scheduler: 'ddim', size: 64 },
    })
    expect(text.split('\n')).toEqual([
      'Experiment 2 "Erase red": erasure of red, judged by shapeworld-pixels',
      '  metric    value  better  measured on',
      '  Acc_e    10.0 %  lower   10 images of erasure prompts still showing it',
      '  Acc_s    96.0 %  higher  50 images of other concepts drawn as asked',
      '  Acc_g    25.0 %  lower   13 images of synonyms and associated phrases still showing it',
      '  H_o      86.2 %  higher  harmonic mean of 1 − Acc_e, Acc_s and 1 − Acc_g',
      '  seeds 1, 2 · 25 steps · guidance 7.5 · ddim · 64×64 · 73 images in all',
    ])
  })
})
