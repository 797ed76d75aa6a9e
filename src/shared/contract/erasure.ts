import { z } from 'zod'

/**
 * RealEra's parameters, with defaults and one-line explanations. The same schema validates the
 * studio's form as you type, the CLI's flags and the host's input, and every value is stored
 * with the run. The paper leaves most values open; our defaults are explained in the README.
 */
export const variantSchema = z.enum(['closed-form', 'mining', 'mining-beyond', 'full'])
export type Variant = z.infer<typeof variantSchema>

export const variantLabels: Record<Variant, string> = {
  'closed-form': 'Closed form only (UCE-like baseline)',
  mining: '+ neighbor-concept mining',
  'mining-beyond': '+ beyond-concept regularization (stage 1)',
  full: 'Full RealEra (stage 1 + LoRA noise alignment)',
}

export const tokenPositionsSchema = z.enum(['concept-and-after', 'concept-only', 'last-and-after'])
export type TokenPositions = z.infer<typeof tokenPositionsSchema>

export const erasureParamsShape = {
  variant: variantSchema.default('mining-beyond'),
  seed: z.number().int().min(0).max(0xffff_ffff).default(0),
  d1: z.number().positive().default(0.5),
  d1Anchor: z.number().nonnegative().default(0.1),
  d2: z.number().positive().default(1.0),
  s1: z.number().min(-1).max(1).default(0.99),
  s2: z.number().min(-1).max(1).default(0.8),
  m: z.number().int().default(50),
  n: z.number().int().default(50),
  distanceUnit: z.enum(['relative', 'absolute']).default('relative'),
  lambda: z.number().positive().default(0.1),
  lambda1: z.number().nonnegative().default(0.1),
  tokenPositions: tokenPositionsSchema.default('concept-and-after'),
  preserveUnconditional: z.boolean().default(true),
  maxAttempts: z.number().int().positive().max(10_000_000).default(100_000),
  loraRank: z.number().int().min(1).max(64).default(1),
  loraAlpha: z.number().positive().default(1),
  learningRate: z.number().positive().max(1).default(1e-5),
  epochs: z.number().int().min(1).max(100_000).default(200),
  loraImages: z.number().int().min(1).max(16).default(2),
  loraImageSize: z.number().int().min(0).max(2048).default(0),
} as const

export const parameterHelp: Record<keyof typeof erasureParamsShape, string> = {
  variant: 'Which stages run: closed form only, + neighbor mining, + beyond regularization, + LoRA alignment.',
  seed: 'Seeds every random choice (neighbor samples, LoRA init, training noise): same seed, same result.',
  d1: 'Neighborhood radius: neighbor perturbations have length r ~ U[0, D1).',
  d1Anchor: "Anchor tolerance radius D1': anchor targets move by r' ~ U[0, D1') along the same direction.",
  d2: 'Outer radius: beyond points have length l ~ U[D1, D2).',
  s1: 'Upper cosine bound: neighbors must satisfy cos(e, e+η) ≤ S1 (rejects near-copies of e).',
  s2: 'Lower cosine bound: neighbors need cos ≥ S2; beyond points need cos < S2.',
  m: 'Neighbor samples per erasure prompt (mapped to the anchor).',
  n: 'Beyond samples per erasure prompt (kept where they are).',
  distanceUnit: "relative: D1, D1', D2 are fractions of ‖e‖; absolute: raw embedding units.",
  lambda: 'Ridge λ: keeps the edited weights near the original and the solve well posed.',
  lambda1: 'Weight λ1 of preserved and beyond terms in the closed form (paper: 0.1).',
  tokenPositions: 'Which token positions receive the perturbation and the remapping.',
  preserveUnconditional:
    'Keep the empty prompt where it is (weight λ1): classifier-free guidance uses it for every image.',
  maxAttempts: 'Give up after this many draws for a batch of up to 64 points and say which bound rejected them.',
  loraRank: 'LoRA rank on each to_k / to_v (MACE uses 1).',
  loraAlpha: 'LoRA alpha; the update is scaled by alpha / rank.',
  learningRate: 'Adam learning rate for the LoRA stage (paper: 1e-5).',
  epochs: 'LoRA training steps (paper: 200).',
  loraImages: 'How many anchor-prompt images the original model makes as training latents.',
  loraImageSize: 'Training image size in pixels (0: the gallery size); smaller is much faster on CPU.',
}

const paramsObject = z.object(erasureParamsShape).strict()

/** Cross-field checks, each naming the parameter and the fix. */
export const erasureParamsSchema = paramsObject.superRefine((p, ctx) => {
  const issue = (path: string, message: string): void => {
    ctx.addIssue({ code: 'custom', path: [path], message })
  }
  if (p.s2 > p.s1) issue('s2', `S2 (${p.s2}) must not exceed S1 (${p.s1}): no cosine can lie between them.`)
  if (p.d1 >= p.d2) issue('d2', `D2 (${p.d2}) must be larger than D1 (${p.d1}): beyond points lie between them.`)
  if (p.m <= 0 && p.variant !== 'closed-form') issue('m', 'M must be at least 1 for neighbor mining.')
  if (p.n <= 0 && (p.variant === 'mining-beyond' || p.variant === 'full')) {
    issue('n', 'N must be at least 1 for beyond-concept regularization.')
  }
  if (p.m < 0) issue('m', 'M cannot be negative.')
  if (p.loraImageSize % 8 !== 0) issue('loraImageSize', 'The training image size must be a multiple of 8.')
  if (p.n < 0) issue('n', 'N cannot be negative.')
})
export type ErasureParams = z.output<typeof erasureParamsSchema>
export type ErasureParamsInput = z.input<typeof erasureParamsSchema>

export const conceptSchema = z
  .object({
    concept: z.string().trim().min(1, 'Name the concept to erase.').max(200),
    anchor: z.string().trim().max(200).default(''),
    templates: z
      .array(z.string().includes('{}', { message: 'Each template needs {} where the concept goes.' }))
      .min(1)
      .default(['{}']),
  })
  .strict()
  .refine((c) => c.anchor.toLowerCase() !== c.concept.toLowerCase(), {
    message: 'The anchor must differ from the concept: erasing "X" into "X" changes nothing.',
    path: ['anchor'],
  })

export const erasureSpecSchema = z
  .object({
    preset: z.enum(['artist', 'celebrity', 'object', 'explicit', 'custom']).default('custom'),
    concepts: z.array(conceptSchema).min(1, 'Add at least one concept to erase.'),
    preserve: z.array(z.string().trim().min(1)).default([]),
    probes: z.array(z.string().trim().min(1)).default([]),
  })
  .strict()
export type ErasureSpec = z.output<typeof erasureSpecSchema>
export type ErasureSpecInput = z.input<typeof erasureSpecSchema>
