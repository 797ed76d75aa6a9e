/**
 * Independent 32-bit seeds derived from one run seed: `mixSeed(seed, a, b…)` hashes the seed
 * with each stream index (splitmix-style integer finalizer), so the initial weights, every
 * training step's batch and the sample grids draw from streams that never overlap, and a step's
 * randomness depends on nothing but (seed, step): resuming needs no RNG state beyond the step.
 */
export function mixSeed(seed: number, ...streams: readonly number[]): number {
  let x = seed >>> 0
  for (const s of streams) {
    x = (Math.imul(x, 0x9e3779b1) + Math.imul(s + 0x632be5ab, 0x85ebca6b)) >>> 0
    x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0
    x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0
    x = (x ^ (x >>> 16)) >>> 0
  }
  return x
}

/** Stream indices, fixed forever (changing one changes what a seed trains). */
export const STREAM = {
  textEncoderInit: 1,
  unetInit: 2,
  batch: 3,
} as const
