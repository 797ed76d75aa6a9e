/**
 * Adam (Kingma & Ba) in float32 over a list of parameter arrays, with global-norm gradient
 * clipping applied first. The state is plain arrays so checkpoints can store it exactly.
 */
export interface AdamConfig {
  readonly lr: number
  readonly beta1: number
  readonly beta2: number
  readonly eps: number
  /** Clip the global gradient norm to this (≤ 0: no clipping). */
  readonly maxGradNorm: number
}

export const defaultAdam = (lr: number): AdamConfig => ({ lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, maxGradNorm: 1 })

export interface AdamState {
  step: number
  readonly m: Float32Array[]
  readonly v: Float32Array[]
}

export function initAdam(params: readonly Float32Array[]): AdamState {
  return { step: 0, m: params.map((p) => new Float32Array(p.length)), v: params.map((p) => new Float32Array(p.length)) }
}

/** Updates `params` in place; returns the gradient norm before clipping. */
export function adamStep(params: readonly Float32Array[], grads: readonly Float32Array[], state: AdamState, cfg: AdamConfig): number {
  let sq = 0
  for (const g of grads) for (let i = 0; i < g.length; i++) sq += g[i]! * g[i]!
  const norm = Math.sqrt(sq)
  const clip = cfg.maxGradNorm > 0 && norm > cfg.maxGradNorm ? cfg.maxGradNorm / norm : 1
  state.step += 1
  const bc1 = 1 - cfg.beta1 ** state.step
  const bc2 = 1 - cfg.beta2 ** state.step
  params.forEach((p, j) => {
    const g = grads[j]!
    const m = state.m[j]!
    const v = state.v[j]!
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]! * clip
      m[i] = cfg.beta1 * m[i]! + (1 - cfg.beta1) * gi
      v[i] = cfg.beta2 * v[i]! + (1 - cfg.beta2) * gi * gi
      p[i] = p[i]! - (cfg.lr * (m[i]! / bc1)) / (Math.sqrt(v[i]! / bc2) + cfg.eps)
    }
  })
  return norm
}
