/**
 * The ShapeWorld's seeded random source. It draws from the studio's noise algorithm
 * (`sd/noise.ts`: SplitMix64-seeded xoroshiro128+, doubles on a 2^-53 grid), so a seed gives the
 * same scenes and captions on every machine and release.
 */
import { createNoiseSource } from '../sd/noise'

export interface Rng {
  /** a uniform double in [0, 1) */
  next(): number
}

/** A deterministic generator for `seed` (a whole number from 0 to 2^32 − 1). */
export function createRng(seed: number): Rng {
  const source = createNoiseSource(seed)
  return { next: () => source.uniform() }
}

/** A whole number from `min` to `max`, both included. */
export function randomInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng.next() * (max - min + 1))
}

/** One element of a non-empty list, uniformly. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng.next() * items.length)]
  if (item === undefined) throw new RangeError('pick() needs a non-empty list.')
  return item
}
