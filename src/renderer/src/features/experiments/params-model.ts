import type { ErasureParams, TokenPositions, Variant } from '../../../../shared/contract'
import {
  erasureParamsSchema,
  tokenPositionsSchema,
  variantLabels,
  variantSchema,
} from '../../../../shared/contract'
import { issueText, parseNumberText } from '../../components/issue-text'

/**
 * RealEra's parameters as the form holds them: numbers as the text typed, choices as values.
 * Every keystroke validates with the contract's `erasureParamsSchema`, the host's own check, so
 * the form refuses exactly what the host would and in the same words ("S2 must not exceed S1").
 */
export type ParamKey = keyof ErasureParams

type NumberKeys<T> = { [K in keyof T]-?: T[K] extends number ? K : never }[keyof T]
export type NumberParamKey = NumberKeys<ErasureParams>

export type DistanceUnit = ErasureParams['distanceUnit']

export type ParamsForm = { readonly [K in NumberParamKey]: string } & {
  readonly variant: Variant
  readonly distanceUnit: DistanceUnit
  readonly tokenPositions: TokenPositions
  readonly preserveUnconditional: boolean
}

/** The contract's defaults (the README explains them). */
export const defaultParams: ErasureParams = erasureParamsSchema.parse({})

/** Every numeric parameter, in the contract's order (read from its defaults). */
export const numberParamKeys: readonly NumberParamKey[] = (
  Object.keys(defaultParams) as ParamKey[]
).filter((k): k is NumberParamKey => typeof defaultParams[k] === 'number')

/** The paper's symbols where it has one; words otherwise. */
export const paramLabels: Record<ParamKey, string> = {
  variant: 'Variant',
  seed: 'Seed',
  d1: 'D1',
  d1Anchor: "D1'",
  d2: 'D2',
  s1: 'S1',
  s2: 'S2',
  m: 'M',
  n: 'N',
  distanceUnit: 'Distance unit',
  lambda: 'λ',
  lambda1: 'λ1',
  tokenPositions: 'Token positions',
  preserveUnconditional: 'Preserve the unconditional prompt',
  maxAttempts: 'Max attempts',
  loraRank: 'LoRA rank',
  loraAlpha: 'LoRA alpha',
  learningRate: 'Learning rate',
  epochs: 'Epochs',
  loraImages: 'Training images',
  loraImageSize: 'Training image size',
}

export type ParamGroupId = 'method' | 'neighborhood' | 'closed-form' | 'lora'

export interface ParamGroup {
  readonly id: ParamGroupId
  readonly title: string
  readonly description: string
  readonly keys: readonly ParamKey[]
}

export const paramGroups: readonly ParamGroup[] = [
  {
    id: 'method',
    title: 'Method',
    description: 'Which stages of RealEra run, and the seed behind every random choice.',
    keys: ['variant', 'seed'],
  },
  {
    id: 'neighborhood',
    title: 'Neighborhood',
    description:
      'Neighbor-concept mining samples M points around each erasure embedding (mapped to the anchor); beyond-concept regularization samples N points further out (kept in place).',
    keys: [
      'd1',
      'd1Anchor',
      'd2',
      's1',
      's2',
      'm',
      'n',
      'maxAttempts',
      'distanceUnit',
      'tokenPositions',
    ],
  },
  {
    id: 'closed-form',
    title: 'Closed form',
    description: 'The least-squares edit of every cross-attention key and value projection.',
    keys: ['lambda', 'lambda1', 'preserveUnconditional'],
  },
  {
    id: 'lora',
    title: 'LoRA noise alignment',
    description: 'Stage 2 of the full variant: a LoRA on to_k / to_v trained to align the noise.',
    keys: ['loraRank', 'loraAlpha', 'learningRate', 'epochs', 'loraImages', 'loraImageSize'],
  },
]

/** LoRA settings matter only to the full variant. */
export const isLoraParam = (key: ParamKey): boolean =>
  paramGroups.some((g) => g.id === 'lora' && g.keys.includes(key))

export const variantOptions: readonly Variant[] = variantSchema.options
export const tokenPositionOptions: readonly TokenPositions[] = tokenPositionsSchema.options

export const tokenPositionLabels: Record<TokenPositions, string> = {
  'concept-and-after': 'Concept tokens and after',
  'concept-only': 'Concept tokens only',
  'last-and-after': 'Last concept token and after',
}

export const distanceUnitLabels: Record<DistanceUnit, string> = {
  relative: 'Relative to ‖e‖',
  absolute: 'Absolute',
}

export const isVariant = (v: string): v is Variant => (variantOptions as string[]).includes(v)
export const isTokenPositions = (v: string): v is TokenPositions =>
  (tokenPositionOptions as string[]).includes(v)
export const isDistanceUnit = (v: string): v is DistanceUnit => v === 'relative' || v === 'absolute'

export function paramsFormFrom(p: ErasureParams): ParamsForm {
  const numbers = Object.fromEntries(numberParamKeys.map((k) => [k, String(p[k])])) as {
    [K in NumberParamKey]: string
  }
  return {
    ...numbers,
    variant: p.variant,
    distanceUnit: p.distanceUnit,
    tokenPositions: p.tokenPositions,
    preserveUnconditional: p.preserveUnconditional,
  }
}

export const defaultParamsForm: ParamsForm = paramsFormFrom(defaultParams)

export const isNumberKey = (k: string): k is NumberParamKey =>
  (numberParamKeys as readonly string[]).includes(k)

/** Applies values from elsewhere (a preset's `params`): known keys of the right type only. */
export function patchParamsForm(
  form: ParamsForm,
  patch: Readonly<Record<string, unknown>>,
): ParamsForm {
  let next: ParamsForm = form
  for (const [key, value] of Object.entries(patch)) {
    if (isNumberKey(key) && typeof value === 'number') next = { ...next, [key]: String(value) }
    else if (key === 'variant' && typeof value === 'string' && isVariant(value))
      next = { ...next, variant: value }
    else if (key === 'tokenPositions' && typeof value === 'string' && isTokenPositions(value)) {
      next = { ...next, tokenPositions: value }
    } else if (key === 'distanceUnit' && typeof value === 'string' && isDistanceUnit(value)) {
      next = { ...next, distanceUnit: value }
    } else if (key === 'preserveUnconditional' && typeof value === 'boolean') {
      next = { ...next, preserveUnconditional: value }
    }
  }
  return next
}

export type ParamErrors = Partial<Record<ParamKey, string>>

export interface ParamsValidation {
  /** The parsed parameters, or null while some field is wrong. */
  readonly params: ErasureParams | null
  readonly errors: ParamErrors
}

const isParamKey = (k: unknown): k is ParamKey => typeof k === 'string' && k in paramLabels

/** Reads every field and checks the whole with the contract's schema (cross-field rules too). */
export function validateParams(form: ParamsForm): ParamsValidation {
  const errors: ParamErrors = {}
  const numbers: Partial<Record<NumberParamKey, number>> = {}
  for (const key of numberParamKeys) {
    const read = parseNumberText(paramLabels[key], form[key])
    if ('error' in read) errors[key] = read.error
    else numbers[key] = read.value
  }
  const parsed = erasureParamsSchema.safeParse({
    ...defaultParams,
    ...numbers,
    variant: form.variant,
    distanceUnit: form.distanceUnit,
    tokenPositions: form.tokenPositions,
    preserveUnconditional: form.preserveUnconditional,
  })
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0]
      if (isParamKey(key) && errors[key] === undefined) {
        errors[key] = issueText(paramLabels[key], issue)
      }
    }
  }
  const ok = parsed.success && Object.keys(errors).length === 0
  return { params: ok ? parsed.data : null, errors }
}

/** A parameter's value in words, for lists of a run's settings. */
export function paramValueText(key: ParamKey, value: ErasureParams[ParamKey]): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No'
  const text = String(value)
  if (key === 'variant' && isVariant(text)) return variantLabels[text]
  if (key === 'tokenPositions' && isTokenPositions(text)) return tokenPositionLabels[text]
  if (key === 'distanceUnit' && isDistanceUnit(text)) return distanceUnitLabels[text]
  return text
}

/** Whether the typed value is the default (numbers compare by value: "0.50" is 0.5). */
export function isDefaultValue(key: NumberParamKey, text: string): boolean {
  const n = Number(text.trim())
  return text.trim() !== '' && Number.isFinite(n) && n === defaultParams[key]
}
