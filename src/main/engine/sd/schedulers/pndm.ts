/**
 * PNDM (Liu et al. 2022), transcribed from diffusers' `scheduling_pndm.py`. SD ships
 * `skip_prk_steps: true`, i.e. PLMS only (crowsonkb's sampler from latent-diffusion PR #51).
 *
 * The timestep list: with spacing giving ascending `ts` (e.g. 1, 21, …, 981 for SD at 50
 * steps), PLMS runs `reverse(ts[:-1] + [ts[-2]] + [ts[-1]])` = 981, 961, 961, 941, …, 1: the
 * second timestep appears twice, so 50 steps cost 51 U-Net calls. That duplicate is the
 * warm-up: the first call steps 981 → 961 with ε₀, the second evaluates ε at the result and
 * redoes 981 → 961 from the saved sample with (ε₀ + ε₁) / 2; then Adams–Bashforth of order 2,
 * 3 and 4 over the stored ε's. Without skip_prk_steps, three Runge–Kutta steps (12 calls at
 * half-step timesteps) fill the history first.
 *
 * Every update is the same formula (`_get_prev_sample`, eq. 9 of the paper), with
 * ᾱ_prev = final_alpha_cumprod once prev < 0:
 *   x_prev = √(ᾱ_prev/ᾱ_t)·x_t − (ᾱ_prev − ᾱ_t)·ε / (ᾱ_t·√(1−ᾱ_prev) + √(ᾱ_t(1−ᾱ_t)ᾱ_prev))
 * For v_prediction the (combined) output is first turned into ε = √ᾱ_t·v + √(1−ᾱ_t)·x_t.
 *
 * The scheduler is stateful (history of ε), so steps must be taken in the order of
 * `timesteps`; anything else is an error rather than a silently wrong image.
 */
import {
  addNoiseDdpm,
  alphaAt,
  assertSameLength,
  computeAlphasCumprod,
  spacedTimesteps,
  trainIndex,
} from './common'
import type { Scheduler, SchedulerConfig, SchedulerName } from './types'

const PNDM_ORDER = 4

export class PndmScheduler implements Scheduler {
  readonly name: SchedulerName = 'pndm'
  readonly initNoiseSigma = 1
  readonly alphasCumprod: Float64Array
  readonly finalAlphaCumprod: number
  /** Runge–Kutta timesteps (empty with skip_prk_steps), then PLMS timesteps */
  private prkTimesteps: number[] = []
  private plmsTimesteps: number[] = []
  private schedule: number[] = []
  private steps = 0
  private counter = 0
  private ets: Float32Array[] = []
  private curSample: Float32Array | null = null
  private curModelOutput: Float64Array | null = null

  constructor(readonly config: SchedulerConfig) {
    this.alphasCumprod = computeAlphasCumprod(config)
    this.finalAlphaCumprod = config.setAlphaToOne ? 1 : (this.alphasCumprod[0] ?? 1)
  }

  get timesteps(): readonly number[] {
    return this.schedule
  }

  setTimesteps(steps: number): void {
    const ts = spacedTimesteps(this.config, steps, true).reverse() // ascending, as diffusers
    if (this.config.skipPrkSteps) {
      this.prkTimesteps = []
      this.plmsTimesteps = [...ts.slice(0, -1), ...ts.slice(-2, -1), ...ts.slice(-1)].reverse()
    } else {
      if (steps < PNDM_ORDER) {
        throw new RangeError(`PNDM without skip_prk_steps needs at least ${PNDM_ORDER} steps.`)
      }
      const half = Math.floor(Math.floor(this.config.numTrainTimesteps / steps) / 2)
      // np.array(ts[-4:]).repeat(2) + np.tile([0, half], 4)
      const prk = ts.slice(-PNDM_ORDER).flatMap((t) => [t, t + half])
      // (prk[:-1].repeat(2)[1:-1])[::-1]
      this.prkTimesteps = prk
        .slice(0, -1)
        .flatMap((t) => [t, t])
        .slice(1, -1)
        .reverse()
      this.plmsTimesteps = ts.slice(0, -3).reverse()
    }
    this.schedule = [...this.prkTimesteps, ...this.plmsTimesteps]
    this.steps = steps
    this.counter = 0
    this.ets = []
    this.curSample = null
    this.curModelOutput = null
  }

  scaleModelInput(sample: Float32Array): Float32Array {
    return sample
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array): Float32Array {
    if (this.steps === 0) throw new Error('PNDM: call setTimesteps before step.')
    assertSameLength(modelOutput, sample, 'PNDM step')
    const expected = this.schedule[this.counter]
    if (expected !== timestep) {
      throw new Error(
        `PNDM steps must follow its timestep list: call ${this.counter + 1} should be at ` +
          `timestep ${expected ?? '(none; the schedule is finished)'}, got ${timestep}. ` +
          'Call setTimesteps to start again.',
      )
    }
    return this.counter < this.prkTimesteps.length
      ? this.stepPrk(modelOutput, timestep, sample)
      : this.stepPlms(modelOutput, timestep, sample)
  }

  private get ratio(): number {
    return Math.floor(this.config.numTrainTimesteps / this.steps)
  }

  private stepPrk(modelOutput: Float32Array, timestep: number, sample: Float32Array): Float32Array {
    const diffToPrev = this.counter % 2 ? 0 : Math.floor(this.ratio / 2)
    const prevTimestep = timestep - diffToPrev
    const baseTimestep = this.prkTimesteps[Math.floor(this.counter / 4) * 4] ?? timestep
    const phase = this.counter % 4
    let output: Float32Array = modelOutput
    const acc = (this.curModelOutput ??= new Float64Array(modelOutput.length))
    if (phase === 0) {
      accumulate(acc, modelOutput, 1 / 6)
      this.ets.push(modelOutput)
      this.curSample = sample
    } else if (phase === 1 || phase === 2) {
      accumulate(acc, modelOutput, 1 / 3)
    } else {
      output = new Float32Array(modelOutput.length)
      for (let i = 0; i < output.length; i++) {
        output[i] = (acc[i] ?? 0) + (1 / 6) * (modelOutput[i] ?? 0)
      }
      this.curModelOutput = null
    }
    const from = this.curSample ?? sample
    const prev = this.prevSample(from, baseTimestep, prevTimestep, output)
    this.counter++
    return prev
  }

  private stepPlms(
    modelOutput: Float32Array,
    timestep: number,
    sample: Float32Array,
  ): Float32Array {
    let t = timestep
    let prevTimestep = timestep - this.ratio
    if (this.counter !== 1) {
      this.ets = [...this.ets.slice(-3), modelOutput]
    } else {
      prevTimestep = timestep
      t = timestep + this.ratio
    }
    const e = this.ets
    const n = e.length
    const at = (k: number, i: number): number => e[n - k]?.[i] ?? 0
    let from = sample
    let combined: (i: number) => number
    if (n === 1 && this.counter === 0) {
      combined = (i) => modelOutput[i] ?? 0
      this.curSample = sample
    } else if (n === 1 && this.counter === 1) {
      combined = (i) => ((modelOutput[i] ?? 0) + at(1, i)) / 2
      from = this.curSample ?? sample
      this.curSample = null
    } else if (n === 2) {
      combined = (i) => (3 * at(1, i) - at(2, i)) / 2
    } else if (n === 3) {
      combined = (i) => (23 * at(1, i) - 16 * at(2, i) + 5 * at(3, i)) / 12
    } else {
      combined = (i) => (55 * at(1, i) - 59 * at(2, i) + 37 * at(3, i) - 9 * at(4, i)) / 24
    }
    const output = new Float32Array(modelOutput.length)
    for (let i = 0; i < output.length; i++) output[i] = combined(i)
    const prev = this.prevSample(from, t, prevTimestep, output)
    this.counter++
    return prev
  }

  /** diffusers' `_get_prev_sample` (see the module comment). */
  private prevSample(
    sample: Float32Array,
    timestep: number,
    prevTimestep: number,
    modelOutput: Float32Array,
  ): Float32Array {
    const aT = this.alphasCumprod[trainIndex(timestep, this.config)] ?? 1
    const aPrev = alphaAt(this.alphasCumprod, prevTimestep, this.finalAlphaCumprod)
    const bT = 1 - aT
    const bPrev = 1 - aPrev
    const sampleCoeff = Math.sqrt(aPrev / aT)
    const denom = aT * Math.sqrt(bPrev) + Math.sqrt(aT * bT * aPrev)
    const v = this.config.predictionType === 'v_prediction'
    const sqrtA = Math.sqrt(aT)
    const sqrtB = Math.sqrt(bT)
    const out = new Float32Array(sample.length)
    for (let i = 0; i < out.length; i++) {
      const x = sample[i] ?? 0
      const m = modelOutput[i] ?? 0
      const eps = v ? sqrtA * m + sqrtB * x : m
      out[i] = sampleCoeff * x - ((aPrev - aT) * eps) / denom
    }
    return out
  }

  addNoise(original: Float32Array, noise: Float32Array, timestep: number): Float32Array {
    return addNoiseDdpm(this.alphasCumprod, this.config, original, noise, timestep)
  }
}

function accumulate(acc: Float64Array, x: Float32Array, weight: number): void {
  for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] ?? 0) + weight * (x[i] ?? 0)
}
