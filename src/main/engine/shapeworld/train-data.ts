/**
 * Training batches, drawn fresh for every step from ShapeWorld's caption distribution
 * (captions.ts: plain captions, synonyms, associated phrases, ~5 % empty) plus an extra share
 * of dropped captions for classifier-free guidance. A batch is a pure function of (run seed,
 * step): scene and caption, dropout, timestep t ~ U{0..999} and noise ε per example, then
 * x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε (the studio's own scheduler code, SD's schedule) and the target
 * v = √ᾱ_t·ε − √(1−ᾱ_t)·x0 (SD 2's v-prediction; README.md says why not ε).
 */
import { createNoiseSource } from '../sd/noise'
import { createScheduler, parseSchedulerConfig } from '../sd/schedulers'
import type { Scheduler } from '../sd/schedulers'
import { computeAlphasCumprod } from '../sd/schedulers/common'
import type { ClipTokenizer } from '../sd/tokenizer'
import { sampleTrainingExample } from './captions'
import { latentSide } from './model-config'
import type { ShapeWorldModelConfig } from './model-config'
import { encodeImage } from './model-pca'
import type { PatchPca } from './model-pca'
import { STREAM, mixSeed } from './seeds'
import { renderScene } from './world'

/** SD's noise schedule with SD 2's v-prediction (the exported scheduler_config.json says so). */
export const TRAIN_SCHEDULE = {
  num_train_timesteps: 1000,
  beta_start: 0.00085,
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  prediction_type: 'v_prediction',
} as const

export function trainingScheduler(): Scheduler {
  return createScheduler('ddim', TRAIN_SCHEDULE)
}

const ALPHAS_CUMPROD = computeAlphasCumprod(parseSchedulerConfig(TRAIN_SCHEDULE, 'ddim'))

export interface TrainingBatch {
  readonly size: number
  /** [B, maxLength] token ids */
  readonly inputIds: Int32Array
  /** x_t, [B, C, h, w] */
  readonly sample: Float32Array
  /** t per example, [B] */
  readonly timesteps: BigInt64Array
  /** v = √ᾱ_t·ε − √(1−ᾱ_t)·x0, the regression target, [B, C, h, w] */
  readonly target: Float32Array
  readonly captions: readonly string[]
}

export interface BatchSource {
  readonly config: ShapeWorldModelConfig
  readonly pca: PatchPca
  readonly tokenizer: ClipTokenizer
  readonly scheduler: Scheduler
  /** Extra probability of replacing a caption by "" (on top of the data's own empty share). */
  readonly captionDropout: number
}

export function makeBatch(
  src: BatchSource,
  seed: number,
  step: number,
  size: number,
): TrainingBatch {
  const random = createNoiseSource(mixSeed(seed, STREAM.batch, step))
  const rng = { next: () => random.uniform() }
  const h = latentSide(src.config)
  const perExample = src.config.latentChannels * h * h
  const length = src.tokenizer.maxLength
  const inputIds = new Int32Array(size * length)
  const sample = new Float32Array(size * perExample)
  const target = new Float32Array(size * perExample)
  const timesteps = new BigInt64Array(size)
  const captions: string[] = []
  const x0 = new Float32Array(perExample)
  const steps = TRAIN_SCHEDULE.num_train_timesteps
  for (let b = 0; b < size; b++) {
    const example = sampleTrainingExample(rng)
    const caption = random.uniform() < src.captionDropout ? '' : example.caption
    const t = Math.min(steps - 1, Math.floor(random.uniform() * steps))
    const noise = random.normal(perExample)
    encodeImage(src.pca, renderScene(example.scene, src.config.imageSize), src.config.imageSize, x0)
    sample.set(src.scheduler.addNoise(x0, noise, t), b * perExample)
    const a = ALPHAS_CUMPROD[t]!
    const sa = Math.sqrt(a)
    const sb = Math.sqrt(1 - a)
    const base = b * perExample
    for (let i = 0; i < perExample; i++) target[base + i] = sa * noise[i]! - sb * x0[i]!
    timesteps[b] = BigInt(t)
    inputIds.set(src.tokenizer.encode(caption).ids, b * length)
    captions.push(caption)
  }
  return { size, inputIds, sample, timesteps, target, captions }
}
