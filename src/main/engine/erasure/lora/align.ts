import type { ErasureParams } from '../../../../shared/contract'
import type { Scheduler } from '../../sd/schedulers'
import { createNoiseSource } from '../../sd/noise'
import type { NoiseSource } from '../../sd/noise'
import { sampleBeyond, sampleNeighbors } from '../sampling'
import type { AdamState } from './adam'
import { adamStep, defaultAdam, initAdam } from './adam'
import type { LoraSet } from './lora-params'
import { effectiveWeight, loraGradients, loraScale } from './lora-params'

/**
 * What prediction-noise alignment needs from the U-Net: ε predictions with any K/V weights, and
 * the MSE loss with its gradient w.r.t. every K/V weight (the autodiff's gradient graph).
 * Weights are keyed by the K/V initializer name, in ONNX layout [d, C].
 */
export interface AlignmentModel {
  readonly latentDims: readonly [number, number, number, number]
  readonly contextLength: number
  readonly contextDim: number
  predict(sample: Float32Array, timestep: number, context: Float32Array, weights: ReadonlyMap<string, Float32Array>): Promise<Float32Array>
  lossAndGrads(sample: Float32Array, timestep: number, context: Float32Array, target: Float32Array, weights: ReadonlyMap<string, Float32Array>): Promise<{ loss: number; grads: ReadonlyMap<string, Float32Array> }>
}

/** One erasure prompt as stage 1 saw it: its embeddings and the positions that get perturbed. */
export interface AlignPrompt {
  readonly concept: Float32Array
  readonly anchor: Float32Array
  readonly positions: readonly number[]
  /** Reference embedding e (last prompt token), around which perturbations are sampled. */
  readonly reference: Float32Array
}

export interface AlignCheckpoint {
  readonly step: number
  readonly lora: LoraSet
  readonly adam: AdamState
  readonly losses: number[]
  /** [step, held-out eq. 8 loss] pairs (see `evaluate`). */
  readonly evals: [number, number][]
}

export interface AlignInput {
  readonly model: AlignmentModel
  readonly scheduler: Scheduler
  readonly numTrainTimesteps: number
  /** Clean latents of images the original model made for the anchor prompt. */
  readonly latents: readonly Float32Array[]
  readonly prompts: readonly AlignPrompt[]
  /**
   * The user's preserved prompts (full embeddings). Our reading of eq. 9's p''_c, "preserved
   * concepts with perturbation": even steps keep a beyond point in place as the paper does and,
   * when the user listed preserved concepts, one of these prompts too (a third term), as the
   * closed form keeps both.
   */
  readonly preserved: readonly Float32Array[]
  /** Closed-form (stage 1) weights: training adds the LoRA on top of these. */
  readonly baseWeights: ReadonlyMap<string, Float32Array>
  /** The original model's weights, for the target predictions ε̂. */
  readonly originalWeights: ReadonlyMap<string, Float32Array>
  readonly params: ErasureParams
  readonly start: AlignCheckpoint
}

export interface AlignControl {
  readonly signal?: AbortSignal
  readonly onStep?: (step: number, total: number, loss: number) => void
  /** Held-out eq. 8 loss every `evalEvery` steps (and at steps 0 and last). */
  readonly onEval?: (evals: readonly [number, number][]) => void
  readonly evalEvery?: number
  /** Called every `checkpointEvery` steps and when cancelled, with state to resume from. */
  readonly onCheckpoint?: (cp: AlignCheckpoint) => Promise<void>
  readonly checkpointEvery?: number
}

/** A fresh, reproducible random stream per training step, so a resumed run continues exactly. */
export function stepNoise(seed: number, step: number): NoiseSource {
  let h = (seed ^ Math.imul(step + 0x9e3779b9, 0x85ebca6b)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0
  return createNoiseSource((h ^ (h >>> 16)) >>> 0)
}

function perturbed(base: Float32Array, d: number, positions: readonly number[], eta: Float32Array): Float32Array {
  const out = Float32Array.from(base)
  for (const p of positions) for (let k = 0; k < d; k++) out[p * d + k] = out[p * d + k]! + eta[k]!
  return out
}

export const initialCheckpoint = (lora: LoraSet): AlignCheckpoint => ({
  step: 0,
  lora,
  adam: initAdam(lora.layers.flatMap((l) => [l.a, l.b])),
  losses: [],
  evals: [],
})

/** Fixed evaluation points: the first latent at three timesteps, seeded apart from training. */
const EVAL_TIMESTEPS = [0.25, 0.5, 0.75]

/**
 * Prediction-noise alignment (paper §4.3, eq. 8–9, Algorithm 1 lines 25–31). Step i draws a
 * clean latent, a timestep t ~ U{0, …, T−1} and noise ε, then:
 * - odd steps:  ‖ε_new(z_t, t, p_c) − ε̂(z_t, t, p_c*)‖²
 * - even steps: ‖ε_new(z_t, t, p'_c) − ε̂(z_t, t, p_c*)‖² + ‖ε_new(z_t, t, p''_c) − ε̂(z_t, t, p''_c)‖²
 *   with p'_c a freshly sampled neighbor and p''_c a freshly sampled beyond point (line 28),
 *   plus the same preserving term for one of the user's preserved prompts when there are any.
 * ε̂ is the original model; ε_new has the closed-form weights plus the LoRA. Adam updates the
 * LoRA factors after global-norm clipping. Cancelling keeps a checkpoint to resume from.
 */
export async function alignLora(input: AlignInput, control: AlignControl = {}): Promise<AlignCheckpoint> {
  const { params, model } = input
  const lora = input.start.lora
  const adam = input.start.adam
  const losses = [...input.start.losses]
  const evals: [number, number][] = input.start.evals.map(([a, b]) => [a, b])
  const s = loraScale(lora)
  const d = model.contextDim
  const flat = lora.layers.flatMap((l) => [l.a, l.b])
  const every = control.checkpointEvery ?? 10
  const save = async (step: number): Promise<AlignCheckpoint> => {
    const cp = { step, lora, adam, losses: [...losses], evals: evals.map(([a, b]): [number, number] => [a, b]) }
    await control.onCheckpoint?.(cp)
    return cp
  }
  const weightsNow = (): Map<string, Float32Array> => {
    const w = new Map<string, Float32Array>()
    for (const l of lora.layers) w.set(l.initializer, effectiveWeight(l, input.baseWeights.get(l.initializer)!, lora.rank, s))
    return w
  }
  // A held-out measure of eq. 8 on fixed (z_t, t): the per-step losses vary by orders of
  // magnitude with the sampled timestep, so this is the curve that shows the trend.
  const evalNoise = stepNoise(params.seed ^ 0x5bd1e995, 0)
  const evalSet = await Promise.all(
    EVAL_TIMESTEPS.map(async (f) => {
      const t = Math.floor(f * input.numTrainTimesteps)
      const zt = input.scheduler.addNoise(input.latents[0]!, evalNoise.normal(input.latents[0]!.length), t)
      return { t, zt, target: await model.predict(zt, t, input.prompts[0]!.anchor, input.originalWeights) }
    }),
  )
  const evaluate = async (step: number): Promise<void> => {
    const w = weightsNow()
    let total = 0
    for (const e of evalSet) {
      const y = await model.predict(e.zt, e.t, input.prompts[0]!.concept, w)
      let m = 0
      for (let i = 0; i < y.length; i++) m += (y[i]! - e.target[i]!) ** 2
      total += m / y.length
    }
    evals.push([step, total / evalSet.length])
    control.onEval?.(evals)
  }
  const evalEvery = control.evalEvery ?? 10
  if (input.start.step === 0) await evaluate(0)
  for (let step = input.start.step + 1; step <= params.epochs; step++) {
    if (control.signal?.aborted) {
      await save(step - 1)
      control.signal.throwIfAborted()
    }
    const rng = stepNoise(params.seed, step)
    const z0 = input.latents[Math.floor(rng.uniform() * input.latents.length)]!
    const prompt = input.prompts[Math.floor(rng.uniform() * input.prompts.length)]!
    const t = Math.min(input.numTrainTimesteps - 1, Math.floor(rng.uniform() * input.numTrainTimesteps))
    const zt = input.scheduler.addNoise(z0, rng.normal(z0.length), t)
    const weights = weightsNow()
    const anchorTarget = await model.predict(zt, t, prompt.anchor, input.originalWeights)
    const terms: { context: Float32Array; target: Float32Array }[] = []
    if (step % 2 === 1) {
      terms.push({ context: prompt.concept, target: anchorTarget })
    } else {
      const [near] = sampleNeighbors(prompt.reference, params, rng, 1)
      terms.push({ context: perturbed(prompt.concept, d, prompt.positions, near!.eta), target: anchorTarget })
      const beyond = perturbed(prompt.concept, d, prompt.positions, sampleBeyond(prompt.reference, params, rng, 1)[0]!.eta)
      terms.push({ context: beyond, target: await model.predict(zt, t, beyond, input.originalWeights) })
      if (input.preserved.length > 0) {
        const kept = input.preserved[Math.floor(rng.uniform() * input.preserved.length)]!
        terms.push({ context: kept, target: await model.predict(zt, t, kept, input.originalWeights) })
      }
    }
    let loss = 0
    const total = new Map<string, Float32Array>()
    for (const term of terms) {
      const r = await model.lossAndGrads(zt, t, term.context, term.target, weights)
      loss += r.loss
      for (const [k, g] of r.grads) {
        const acc = total.get(k)
        if (acc) for (let i = 0; i < g.length; i++) acc[i] = acc[i]! + g[i]!
        else total.set(k, Float32Array.from(g))
      }
    }
    const grads = lora.layers.flatMap((l) => {
      const { da, db } = loraGradients(l, total.get(l.initializer)!, lora.rank, s)
      return [da, db]
    })
    adamStep(flat, grads, adam, defaultAdam(params.learningRate))
    losses.push(loss)
    control.onStep?.(step, params.epochs, loss)
    if (step % evalEvery === 0 || step === params.epochs) await evaluate(step)
    if (step % every === 0 && step < params.epochs) await save(step)
  }
  return { step: params.epochs, lora, adam, losses, evals }
}
