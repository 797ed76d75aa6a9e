/**
 * The evaluation runner: generates the evaluation prompts' images with any generator (the
 * service passes a closure over txt2img; tests pass a renderer of the true scene), judges each
 * with a classifier and computes the metrics. Images are generated one at a time in a fixed
 * order, so the result depends only on the generator, the classifier and the options (and
 * `evaluatedAt` on `now`).
 *
 * Which images: for each group, the prompts of `evaluationPrompts(concept)` crossed with the
 * seeds, prompt-major within a seed (image k uses prompt k mod P and seed k div P), so taking
 * fewer images (`counts`) keeps every prompt before a second seed.
 */
import { evaluationPrompts, type EvaluationConcept } from '../shapeworld/captions'
import { assertSeed } from '../sd/noise'
import type { ExperimentMetrics } from '../../../shared/contract'
import {
  assertJudges,
  matches,
  type AttributeValues,
  type Classification,
  type ImageClassifier,
  type RgbImage,
} from './classifier'
import {
  computeMetrics,
  EVALUATION_GROUPS,
  type EvaluationGroup,
  type GroupCounts,
} from './metrics'

export type Generate = (prompt: string, seed: number) => Promise<RgbImage>

export interface EvaluationItem {
  group: EvaluationGroup
  prompt: string
  seed: number
  /**
   * What a hit is: for erasure and generalization the erased concept (a hit means the concept
   * survived), for preserved the prompt's expected attributes (a hit means it was kept).
   */
  target: AttributeValues
}

export interface JudgedItem extends EvaluationItem {
  classification: Classification
  hit: boolean
}

export interface EvaluationProgress {
  phase: 'evaluate'
  /** images judged so far, over all groups */
  step: number
  total: number
  group: EvaluationGroup
}

export interface EvaluateOptions {
  generate: Generate
  concept: EvaluationConcept
  seeds: readonly number[]
  /** images per group; default and maximum: that group's prompts × seeds */
  counts?: Partial<GroupCounts>
  classifier: ImageClassifier
  signal?: AbortSignal
  onProgress?: (p: EvaluationProgress) => void
  /** clock for `evaluatedAt` (default Date.now) */
  now?: () => number
}

export interface EvaluationResult {
  metrics: ExperimentMetrics
  items: JudgedItem[]
}

/** The images an evaluation judges, in order (pure; validates seeds and counts). */
export function planEvaluation(
  concept: EvaluationConcept,
  seeds: readonly number[],
  counts: Partial<GroupCounts> = {},
): EvaluationItem[] {
  if (seeds.length === 0) throw new RangeError('An evaluation needs at least one seed.')
  for (const seed of seeds) assertSeed(seed)
  const prompts = evaluationPrompts(concept)
  const conceptTarget: AttributeValues = { ...concept }
  const byGroup: Record<EvaluationGroup, { prompt: string; target: AttributeValues }[]> = {
    erasure: prompts.erasure.map((prompt) => ({ prompt, target: conceptTarget })),
    preserved: prompts.preserved.map(({ prompt, expect }) => ({ prompt, target: { ...expect } })),
    generalization: prompts.generalization.map((prompt) => ({ prompt, target: conceptTarget })),
  }
  const items: EvaluationItem[] = []
  for (const group of EVALUATION_GROUPS) {
    const list = byGroup[group]
    const available = list.length * seeds.length
    const count = counts[group] ?? available
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(`The ${group} count must be a whole number ≥ 1, got ${String(count)}.`)
    }
    for (let k = 0; k < Math.min(count, available); k++) {
      const { prompt, target } = list[k % list.length] as {
        prompt: string
        target: AttributeValues
      }
      items.push({ group, prompt, seed: seeds[Math.floor(k / list.length)] as number, target })
    }
  }
  return items
}

/** Generates, judges and scores; throws the signal's reason when aborted. */
export async function evaluateErasure(options: EvaluateOptions): Promise<EvaluationResult> {
  const { generate, concept, seeds, classifier, signal, onProgress } = options
  const plan = planEvaluation(concept, seeds, options.counts)
  for (const item of plan) assertJudges(classifier, item.target)
  const items: JudgedItem[] = []
  const hits: GroupCounts = { erasure: 0, preserved: 0, generalization: 0 }
  const counts: GroupCounts = { erasure: 0, preserved: 0, generalization: 0 }
  for (const item of plan) {
    signal?.throwIfAborted()
    const image = await generate(item.prompt, item.seed)
    signal?.throwIfAborted()
    const classification = await classifier.classify(image)
    const hit = matches(classification, item.target)
    items.push({ ...item, classification, hit })
    counts[item.group]++
    if (hit) hits[item.group]++
    onProgress?.({ phase: 'evaluate', step: items.length, total: plan.length, group: item.group })
  }
  const metrics = computeMetrics({
    evaluator: classifier.name,
    hits,
    counts,
    seeds,
    evaluatedAt: (options.now ?? Date.now)(),
  })
  return { metrics, items }
}
