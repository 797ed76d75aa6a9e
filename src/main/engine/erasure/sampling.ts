import { StudioError } from '../../../shared/errors'
import type { NoiseSource } from '../sd/noise'

/**
 * Neighbor-concept mining and beyond-concept sampling (paper §4.1–4.2, Algorithm 1 lines
 * 2–23), on one reference embedding e of width d:
 *
 *   v ~ N(0, I),  v̂ = (v − e)/‖v − e‖,  η = r·v̂
 *   neighbor:  r ~ U[0, D1),  kept when S2 ≤ cos(e, e + η) ≤ S1;  anchor tolerance η' = r'·v̂,
 *              r' ~ U[0, D1') along the same direction
 *   beyond:    r ~ U[D1, D2), kept when cos(e, e + η) < S2
 *
 * Sampling repeats until M (resp. N) points are accepted; Algorithm 1's `break` in the beyond
 * loop is a typo (ARCHITECTURE.md §4). A bound on attempts turns impossible thresholds into an
 * error naming the bound that rejected the draws. With `distanceUnit: 'relative'`, D1, D1' and
 * D2 are fractions of ‖e‖, so one setting means the same on SD1 (768-d) and SD2 (1024-d).
 */
export interface SamplerParams {
  readonly d1: number
  readonly d1Anchor: number
  readonly d2: number
  readonly s1: number
  readonly s2: number
  readonly m: number
  readonly n: number
  readonly distanceUnit: 'relative' | 'absolute'
  readonly maxAttempts: number
}

export interface Sample {
  /** The perturbation η (width d), added to every selected token position. */
  readonly eta: Float32Array
  /** ‖η‖ = d(e, e + η), in embedding units. */
  readonly distance: number
  readonly cosine: number
}

export interface NeighborSample extends Sample {
  /** η' for the anchor side (same direction, radius r' ~ U[0, D1')). */
  readonly etaAnchor: Float32Array
  readonly anchorDistance: number
}

function norm(a: Float32Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!
  return Math.sqrt(s)
}

/** cos(e, e + η) computed in float64. */
export function cosineWithOffset(e: Float32Array, eta: Float32Array): number {
  let dot = 0
  let ee = 0
  let pp = 0
  for (let i = 0; i < e.length; i++) {
    const p = e[i]! + eta[i]!
    dot += e[i]! * p
    ee += e[i]! * e[i]!
    pp += p * p
  }
  return dot / Math.sqrt(ee * pp)
}

/** v̂ = (v − e)/‖v − e‖ with v ~ N(0, I). */
function direction(e: Float32Array, rng: NoiseSource): Float64Array {
  const v = rng.normal(e.length)
  const dir = new Float64Array(e.length)
  let s = 0
  for (let i = 0; i < e.length; i++) {
    const x = v[i]! - e[i]!
    dir[i] = x
    s += x * x
  }
  const inv = 1 / Math.sqrt(s)
  for (let i = 0; i < e.length; i++) dir[i] = dir[i]! * inv
  return dir
}

const scaled = (dir: Float64Array, r: number): Float32Array => Float32Array.from(dir, (x) => x * r)

const unit = (e: Float32Array, p: SamplerParams): number => (p.distanceUnit === 'relative' ? norm(e) : 1)

export function sampleNeighbors(e: Float32Array, p: SamplerParams, rng: NoiseSource, count = p.m): NeighborSample[] {
  const scale = unit(e, p)
  const out: NeighborSample[] = []
  let above = 0
  let below = 0
  let attempts = 0
  while (out.length < count) {
    if (attempts++ >= p.maxAttempts) {
      throw rejectionError('neighbor', out.length, count, attempts - 1, [
        [above, `S1 = ${p.s1}`, `draws stayed too close to e (cos > S1): lower S1 or raise D1`],
        [below, `S2 = ${p.s2}`, `draws went too far from e (cos < S2): lower S2 or reduce D1`],
      ])
    }
    const dir = direction(e, rng)
    const r = rng.uniform() * p.d1 * scale
    const rAnchor = rng.uniform() * p.d1Anchor * scale
    const eta = scaled(dir, r)
    const cosine = cosineWithOffset(e, eta)
    if (cosine > p.s1) above++
    else if (cosine < p.s2) below++
    else out.push({ eta, distance: r, cosine, etaAnchor: scaled(dir, rAnchor), anchorDistance: rAnchor })
  }
  return out
}

export function sampleBeyond(e: Float32Array, p: SamplerParams, rng: NoiseSource, count = p.n): Sample[] {
  const scale = unit(e, p)
  const out: Sample[] = []
  let inside = 0
  let attempts = 0
  while (out.length < count) {
    if (attempts++ >= p.maxAttempts) {
      throw rejectionError('beyond', out.length, count, attempts - 1, [
        [inside, `S2 = ${p.s2}`, `draws between D1 and D2 stayed within cos ≥ S2: raise D2 or S2`],
      ])
    }
    const dir = direction(e, rng)
    const r = (p.d1 + rng.uniform() * (p.d2 - p.d1)) * scale
    const eta = scaled(dir, r)
    const cosine = cosineWithOffset(e, eta)
    if (cosine < p.s2) out.push({ eta, distance: r, cosine })
    else inside++
  }
  return out
}

function rejectionError(
  kind: string,
  got: number,
  wanted: number,
  attempts: number,
  reasons: readonly (readonly [number, string, string])[],
): StudioError {
  const [count, bound, fix] = [...reasons].sort((a, b) => b[0] - a[0])[0]!
  const pct = attempts > 0 ? Math.round((100 * count) / attempts) : 0
  return new StudioError(
    'invalid-input',
    `Sampling ${kind} points stopped after ${attempts} draws with ${got} of ${wanted} accepted: ${bound} rejected ${pct}% of them (${fix}).`,
  )
}
