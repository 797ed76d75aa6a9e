/**
 * Deterministic random weights for generated models: mulberry32 for uniforms, the polar form
 * of Box–Muller for normals. One stream per model, consumed in graph-construction order, so the
 * same seed and variant give byte-identical files. Only integer ops, sqrt and Math.log are
 * involved; V8's Math.log is a portable fdlibm port, so results do not depend on the platform.
 */

/** mulberry32: a tiny 32-bit PRNG with a full 2^32 period; uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class SeededWeights {
  private readonly uniform: () => number
  private spare: number | undefined

  constructor(seed: number) {
    this.uniform = mulberry32(seed)
  }

  /** One N(0, 1) sample. */
  gaussian(): number {
    if (this.spare !== undefined) {
      const s = this.spare
      this.spare = undefined
      return s
    }
    const [a, b] = this.pair()
    this.spare = b
    return a
  }

  /** `count` samples of N(mean, std²): the same stream as calling gaussian() `count` times. */
  normal(count: number, std: number, mean = 0): Float32Array {
    const out = new Float32Array(count)
    let i = 0
    if (this.spare !== undefined && count > 0) out[i++] = mean + std * this.gaussian()
    // This loop is the whole cost of generating a 3.4 GB U-Net, hence no per-sample calls.
    const uniform = this.uniform
    while (i + 1 < count) {
      const a = 2 * uniform() - 1
      const b = 2 * uniform() - 1
      const s = a * a + b * b
      if (s >= 1 || s === 0) continue
      const f = Math.sqrt((-2 * Math.log(s)) / s)
      out[i++] = mean + std * (a * f)
      out[i++] = mean + std * (b * f)
    }
    if (i < count) out[i] = mean + std * this.gaussian()
    return out
  }

  /** Two independent N(0, 1) samples (Marsaglia's polar form of Box–Muller: no sin/cos). */
  private pair(): [number, number] {
    for (;;) {
      const a = 2 * this.uniform() - 1
      const b = 2 * this.uniform() - 1
      const s = a * a + b * b
      if (s >= 1 || s === 0) continue
      const f = Math.sqrt((-2 * Math.log(s)) / s)
      return [a * f, b * f]
    }
  }

  /**
   * Weights for a layer reading `fanIn` inputs: std = gain / sqrt(fanIn) keeps each output's
   * variance near the input's (gain 1) so activations stay O(1) through deep stacks.
   */
  fanIn(count: number, fanIn: number, gain = 1): Float32Array {
    return this.normal(count, gain / Math.sqrt(fanIn))
  }
}
