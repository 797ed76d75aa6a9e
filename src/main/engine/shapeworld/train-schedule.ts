/** Learning-rate schedule and loss bookkeeping for ShapeWorld training. */
import type { TrainSettings } from './train-checkpoint'

/**
 * Linear warm-up to `lr`, then a cosine decay to `lr · minLrRatio` at the last step (at
 * `decaySteps` for an extended run, which then stays at that floor).
 */
export function learningRate(step: number, s: TrainSettings): number {
  if (step <= s.warmupSteps) return (s.lr * step) / Math.max(1, s.warmupSteps)
  const span = Math.max(1, (s.decaySteps ?? s.steps) - s.warmupSteps)
  const progress = Math.min(1, (step - s.warmupSteps) / span)
  const floor = s.lr * s.minLrRatio
  return floor + (s.lr - floor) * 0.5 * (1 + Math.cos(Math.PI * progress))
}

/**
 * The decay of the weights' moving average at `step` (1-based): `min(decay, (1 + step) /
 * (10 + step))`, so the average follows the fast early changes and settles at `decay` later
 * (the warm-up of TensorFlow's ExponentialMovingAverage with num_updates). 0 turns it off.
 */
export function emaDecayAt(step: number, decay: number): number {
  if (decay <= 0) return 0
  return Math.min(decay, (1 + step) / (10 + step))
}

/** `average ← d · average + (1 − d) · value`, elementwise, for each tensor. */
export function updateAverage(
  averages: readonly Float32Array[],
  values: readonly Float32Array[],
  d: number,
): void {
  averages.forEach((avg, i) => {
    const v = values[i]!
    for (let j = 0; j < avg.length; j++) avg[j] = d * avg[j]! + (1 - d) * v[j]!
  })
}

/** Bias-corrected exponential moving average of the losses (β = 0.98: ~50 steps). */
export function smoothedLoss(losses: ArrayLike<number>, beta = 0.98): number | null {
  if (losses.length === 0) return null
  let ema = 0
  for (let i = 0; i < losses.length; i++) ema = beta * ema + (1 - beta) * losses[i]!
  return ema / (1 - beta ** losses.length)
}

/** `1h02m`, `4m05s`, `12s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const r = s % 60
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`
  if (m > 0) return `${m}m${String(r).padStart(2, '0')}s`
  return `${r}s`
}
