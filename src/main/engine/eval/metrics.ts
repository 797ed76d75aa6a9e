/**
 * Erasure metrics (RealEra paper §5, on ShapeWorld):
 * - Acc_e: share of images from erasure prompts still classified as the erased concept (↓);
 * - Acc_s: share of images from preserved prompts classified as expected (↑);
 * - Acc_g: share of images from synonym and associated prompts classified as the erased
 *   concept (↓): the concept's residue;
 * - H_o = 3 / (1/(1 − Acc_e) + 1/Acc_s + 1/(1 − Acc_g)), the harmonic mean of the three
 *   "good" rates.
 * Edge cases: when any of 1 − Acc_e, Acc_s, 1 − Acc_g is 0 its reciprocal is infinite and H_o is
 * 0 (the limit of the harmonic mean; one complete failure sinks the score). When all three are 1,
 * H_o is 1. A group with no images has no accuracy: computeMetrics refuses it.
 */
import { experimentMetricsSchema, type ExperimentMetrics } from '../../../shared/contract'

export type EvaluationGroup = 'erasure' | 'preserved' | 'generalization'

export const EVALUATION_GROUPS: readonly EvaluationGroup[] = [
  'erasure',
  'preserved',
  'generalization',
]

export type GroupCounts = Record<EvaluationGroup, number>

function assertRate(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new RangeError(`${name} must be a share from 0 to 1, got ${String(value)}.`)
  }
}

/** H_o from the three accuracies; 0 when any good rate (1 − Acc_e, Acc_s, 1 − Acc_g) is 0. */
export function overallScore(accE: number, accS: number, accG: number): number {
  assertRate('Acc_e', accE)
  assertRate('Acc_s', accS)
  assertRate('Acc_g', accG)
  const good = [1 - accE, accS, 1 - accG]
  if (good.some((v) => v === 0)) return 0
  return Math.min(1, 3 / good.reduce((sum, v) => sum + 1 / v, 0))
}

export interface MetricsInput {
  /** the classifier's name */
  evaluator: string
  /** images per group that count towards the group's accuracy (see the module comment) */
  hits: GroupCounts
  /** images judged per group */
  counts: GroupCounts
  seeds: readonly number[]
  evaluatedAt: number
}

/** The metrics record stored with an experiment (validated against the contract). */
export function computeMetrics(input: MetricsInput): ExperimentMetrics {
  for (const group of EVALUATION_GROUPS) {
    const n = input.counts[group]
    const k = input.hits[group]
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(
        `The ${group} group needs at least one image to measure, got ${String(n)}.`,
      )
    }
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new RangeError(`The ${group} group has ${String(k)} hits out of ${n} images.`)
    }
  }
  const accE = input.hits.erasure / input.counts.erasure
  const accS = input.hits.preserved / input.counts.preserved
  const accG = input.hits.generalization / input.counts.generalization
  return experimentMetricsSchema.parse({
    evaluator: input.evaluator,
    accE,
    accS,
    accG,
    ho: overallScore(accE, accS, accG),
    counts: { ...input.counts },
    seeds: [...input.seeds],
    evaluatedAt: input.evaluatedAt,
  })
}
