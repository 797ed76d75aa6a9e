import type * as ort from 'onnxruntime-node'
import { StudioError } from '../../../../shared/errors'
import { createNoiseSource } from '../noise'
import { encodeImagePng } from '../png'
import type { SchedulerName } from '../schedulers'
import { createScheduler } from '../schedulers'
import type { SdModel } from '../sd-model'

/**
 * txt2img in diffusers' OnnxStableDiffusionPipeline order, in four numbered stages:
 * 1. encode the prompt and the negative prompt, 2. prepare seeded latents, 3. denoise with
 * classifier-free guidance (uncond and cond as one batch of 2), 4. decode with the VAE.
 * Cancellation is checked before every U-Net and VAE call.
 */
export interface Txt2ImgInput {
  readonly prompt: string
  readonly negativePrompt?: string
  readonly seed: number
  readonly steps: number
  readonly guidance: number
  readonly scheduler: SchedulerName
  readonly width: number
  readonly height: number
}

export interface Txt2ImgHooks {
  /**
   * Rewrites the encoder hidden states [B, 77, d] before the U-Net sees them (the closed-form
   * edit applies T here: identical to editing every K/V weight).
   */
  readonly transformContext?: (hidden: Float32Array, batch: number) => Promise<Float32Array>
  /** Extra U-Net feeds (K/V weights for the K/V-as-inputs U-Net). */
  readonly unetFeeds?: Readonly<Record<string, ort.Tensor>>
}

export interface RunControl {
  readonly signal?: AbortSignal
  readonly onProgress?: (p: { phase: string; step: number; total: number | null }) => void
}

export interface Txt2ImgResult {
  readonly png: Buffer
  readonly width: number
  readonly height: number
  readonly warnings: readonly string[]
  readonly timings: { readonly encodeMs: number; readonly denoiseMs: number; readonly decodeMs: number }
}

export function validateTxt2Img(input: Txt2ImgInput): void {
  for (const [name, v] of [['width', input.width], ['height', input.height]] as const) {
    if (!Number.isInteger(v) || v <= 0 || v % 8 !== 0) {
      throw new StudioError('invalid-input', `The image ${name} ${v} is not a positive multiple of 8: latents are 1/8 of the image size. Use for example 512 or 64.`)
    }
  }
  if (!Number.isInteger(input.steps) || input.steps < 1 || input.steps > 1000) {
    throw new StudioError('invalid-input', `steps must be a whole number from 1 to 1000 (got ${input.steps}).`)
  }
  if (!(input.guidance >= 0) || input.guidance > 100) {
    throw new StudioError('invalid-input', `guidance must be between 0 and 100 (got ${input.guidance}).`)
  }
}

/** Stage 1: [uncond, cond] hidden states, [2, 77, d]. */
export async function encodePrompts(model: SdModel, prompt: string, negative: string, warnings: string[]): Promise<{ hidden: Float32Array; dim: number; length: number }> {
  const cond = model.tokenizer.encode(prompt)
  const uncond = model.tokenizer.encode(negative)
  if (cond.truncated) warnings.push(`The prompt is longer than ${model.tokenizer.maxLength} tokens; dropped: ${cond.droppedWords.join(' ')}`)
  if (uncond.truncated) warnings.push(`The negative prompt is too long; dropped: ${uncond.droppedWords.join(' ')}`)
  const length = cond.ids.length
  const ids = new Int32Array(2 * length)
  ids.set(uncond.ids, 0)
  ids.set(cond.ids, length)
  const { hidden, dim } = await model.textEncoder.encode(ids, 2)
  return { hidden, dim, length }
}

export interface DenoiseResult {
  /** Final latents [1, C, h, w] before the VAE (unscaled). */
  readonly latents: Float32Array
  readonly dims: readonly [number, number, number, number]
  readonly warnings: readonly string[]
  readonly encodeMs: number
  readonly denoiseMs: number
}

/** Stages 1–3: the latents txt2img would decode (the LoRA stage trains on these). */
export async function denoiseLatents(model: SdModel, input: Txt2ImgInput, hooks: Txt2ImgHooks = {}, control: RunControl = {}): Promise<DenoiseResult> {
  validateTxt2Img(input)
  const { signal, onProgress } = control
  const warnings: string[] = []
  const t0 = performance.now()

  // 1. Encode
  onProgress?.({ phase: 'encode', step: 0, total: null })
  signal?.throwIfAborted()
  const enc = await encodePrompts(model, input.prompt, input.negativePrompt ?? '', warnings)
  const context = hooks.transformContext ? await hooks.transformContext(enc.hidden, 2) : enc.hidden
  const t1 = performance.now()

  // 2. Prepare latents
  const scheduler = createScheduler(input.scheduler, model.schedulerConfig)
  scheduler.setTimesteps(input.steps)
  const c = model.unet.latentChannels
  const h = input.height / 8
  const w = input.width / 8
  const size = c * h * w
  const noise = createNoiseSource(input.seed)
  let latents: Float32Array = noise.normal(size).map((x) => x * scheduler.initNoiseSigma)

  // 3. Denoise
  const total = scheduler.timesteps.length
  const doubled = new Float32Array(2 * size)
  for (const [i, t] of scheduler.timesteps.entries()) {
    signal?.throwIfAborted()
    const scaled = scheduler.scaleModelInput(latents, t)
    doubled.set(scaled, 0)
    doubled.set(scaled, size)
    const out = await model.unet.run({
      sample: doubled,
      timestep: t,
      context,
      batch: 2,
      latentHeight: h,
      latentWidth: w,
      contextLength: enc.length,
      ...(hooks.unetFeeds ? { extra: hooks.unetFeeds } : {}),
    })
    const guided = new Float32Array(size)
    for (let k = 0; k < size; k++) guided[k] = out[k]! + input.guidance * (out[size + k]! - out[k]!)
    latents = scheduler.step(guided, t, latents, noise)
    onProgress?.({ phase: 'denoise', step: i + 1, total })
  }
  const t2 = performance.now()
  return { latents, dims: [1, c, h, w], warnings, encodeMs: t1 - t0, denoiseMs: t2 - t1 }
}

export async function txt2img(model: SdModel, input: Txt2ImgInput, hooks: Txt2ImgHooks = {}, control: RunControl = {}): Promise<Txt2ImgResult> {
  const { signal, onProgress } = control
  const d = await denoiseLatents(model, input, hooks, control)

  // 4. Decode
  const t2 = performance.now()
  signal?.throwIfAborted()
  onProgress?.({ phase: 'decode', step: 0, total: 1 })
  const decoded = await model.vae.decode(d.latents, d.dims)
  const png = encodeImagePng(decoded.image, decoded.width, decoded.height)
  onProgress?.({ phase: 'decode', step: 1, total: 1 })
  const t3 = performance.now()
  return {
    png,
    width: decoded.width,
    height: decoded.height,
    warnings: d.warnings,
    timings: { encodeMs: d.encodeMs, denoiseMs: d.denoiseMs, decodeMs: t3 - t2 },
  }
}
