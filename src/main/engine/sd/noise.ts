/**
 * Seeded noise. What a seed means is a promise to our users: the same seed, prompt and settings
 * give the same image on every machine and every release. So the algorithm is fixed here, and
 * the unit tests pin golden values; changing anything below is a breaking change for saved
 * seeds.
 *
 * Algorithm (version 1):
 * 1. State: the 32-bit unsigned seed s goes through SplitMix64 (Vigna's recommended seeder):
 *    x = s; twice { x += 0x9E3779B97F4A7C15; z = x; z = (z ^ z >> 30) * 0xBF58476D1CE4E5B9;
 *    z = (z ^ z >> 27) * 0x94D049BB133111EB; z ^= z >> 31 } (all mod 2^64), giving s0 then s1.
 *    Seeding xoroshiro directly with the seed (pure-rand's `xoroshiro128plus(seed)`) leaves
 *    small seeds with nearly-zero state whose first outputs are far from random (seed 0's
 *    first normal would be -7.2), hence this step.
 * 2. Generator: xoroshiro128+ (Blackman & Vigna, a = 24, b = 16, c = 37) from that state, as
 *    implemented by `pure-rand` (`xoroshiro128plusFromState([s0 >> 32, s0 & M, s1 >> 32,
 *    s1 & M])`). Each `next()` returns the low 32 bits of s0 + s1 as a signed integer.
 * 3. Uniform double in [0, 1): two consecutive outputs a, b, using bits 6..31 of a and 5..31 of
 *    b (the lowest bits of xoroshiro128+ are its weakest):
 *    `u = ((a >>> 6) * 2^27 + (b >>> 5)) * 2^-53`, a multiple of 2^-53.
 * 4. Normals come in pairs from two uniforms u1, u2 (Box–Muller, float64):
 *    `r = sqrt(-2 ln(1 - u1))`, `θ = 2π u2`, first `r cos θ`, then `r sin θ`; each is rounded
 *    to float32 when stored. `1 - u1` lies in (0, 1], so the log is finite.
 *    `normal(n)` consumes ceil(n / 2) pairs; for odd n the unused sine of the last pair is
 *    discarded, so draws never straddle calls.
 * 5. `uniform()` draws one double as in step 3 from the same stream.
 *
 * Math.log/cos/sin in V8 are ports of fdlibm, computed in software and not tied to the CPU or
 * OS, which is what makes step 4 reproducible across machines (Node and Electron share V8).
 * This is not PyTorch's `torch.randn`; seeds do not carry over from diffusers.
 */
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus'

export interface NoiseSource {
  /** `n` independent N(0, 1) samples, float32 */
  normal(n: number): Float32Array
  /** one U[0, 1) sample (for training: random timesteps and the like) */
  uniform(): number
}

export const MAX_SEED = 0xffff_ffff

const TWO_PI = 2 * Math.PI
const SCALE_27 = 2 ** 27
const SCALE_53 = 2 ** -53
const MASK_64 = (1n << 64n) - 1n
const MASK_32 = (1n << 32n) - 1n

/** Step 1 of the module comment: two SplitMix64 outputs as pure-rand's four 32-bit words. */
function seedState(seed: number): number[] {
  let x = BigInt(seed)
  const next = (): bigint => {
    x = (x + 0x9e3779b97f4a7c15n) & MASK_64
    let z = x
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64
    return z ^ (z >> 31n)
  }
  const s0 = next()
  const s1 = next()
  const word = (v: bigint): number => Number(BigInt.asIntN(32, v & MASK_32))
  return [word(s0 >> 32n), word(s0), word(s1 >> 32n), word(s1)]
}

/** Throws a RangeError unless `seed` is an integer in 0..2^32-1. */
export function assertSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(
      `Seed ${String(seed)} is not valid: a seed is a whole number from 0 to ${MAX_SEED}.`,
    )
  }
}

export function createNoiseSource(seed: number): NoiseSource {
  assertSeed(seed)
  const rng = xoroshiro128plusFromState(seedState(seed))
  const uniform = (): number => {
    const a = rng.next() >>> 6
    const b = rng.next() >>> 5
    return (a * SCALE_27 + b) * SCALE_53
  }
  const normal = (n: number): Float32Array => {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`normal(n): n must be a whole number >= 0, got ${String(n)}`)
    }
    const out = new Float32Array(n)
    for (let i = 0; i < n; i += 2) {
      const u1 = uniform()
      const u2 = uniform()
      const r = Math.sqrt(-2 * Math.log(1 - u1))
      const theta = TWO_PI * u2
      out[i] = r * Math.cos(theta)
      if (i + 1 < n) out[i + 1] = r * Math.sin(theta)
    }
    return out
  }
  return { normal, uniform }
}

/**
 * The initial latents for `seed`, laid out row-major in `shape` (e.g. `[1, 4, 64, 64]`).
 * Unscaled N(0, 1): the pipeline multiplies by the scheduler's `initNoiseSigma`.
 */
export function gaussianLatents(seed: number, shape: readonly number[]): Float32Array {
  let size = 1
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim <= 0) {
      throw new RangeError(`Latent shape [${shape.join(', ')}] must hold positive whole numbers.`)
    }
    size *= dim
  }
  return createNoiseSource(seed).normal(size)
}
