/**
 * Every gradient rule by op type: one table per op family, merged. A family may not claim an
 * op another family already has; that is a programming error caught at module load, so two
 * files can never silently disagree about one op.
 */
import type { RuleTable } from '../types'
import { concatSplitRules } from './concat-split'
import { convRules } from './conv'
import { elementwiseRules } from './elementwise'
import { gatherRules } from './gather'
import { matmulRules } from './matmul'
import { normalizationRules } from './normalization'
import { reduceRules } from './reduce'
import { resizeRules } from './resize'
import { shapeRules } from './shape'
import { softmaxRules } from './softmax'

export const RULE_FAMILIES: Readonly<Record<string, RuleTable>> = {
  elementwise: elementwiseRules,
  matmul: matmulRules,
  shape: shapeRules,
  conv: convRules,
  normalization: normalizationRules,
  reduce: reduceRules,
  softmax: softmaxRules,
  resize: resizeRules,
  'concat-split': concatSplitRules,
  gather: gatherRules,
}

export function mergeRules(families: Readonly<Record<string, RuleTable>>): RuleTable {
  const merged: Record<string, RuleTable[string]> = {}
  const owner: Record<string, string> = {}
  for (const [family, table] of Object.entries(families)) {
    for (const [op, rule] of Object.entries(table)) {
      const other = owner[op]
      if (other !== undefined)
        throw new Error(`gradient rule for ${op} defined by both ${other} and ${family}`)
      merged[op] = rule
      owner[op] = family
    }
  }
  return merged
}

export const DEFAULT_RULES: RuleTable = mergeRules(RULE_FAMILIES)

export { concatSplitRules, convRules, elementwiseRules, gatherRules, matmulRules }
export { normalizationRules, reduceRules, resizeRules, shapeRules, softmaxRules }
