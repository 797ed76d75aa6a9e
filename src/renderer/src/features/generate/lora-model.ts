import type { GenerationParams } from '../../../../shared/contract'
import { generationParamsSchema } from '../../../../shared/contract'

/**
 * The Generate form's optional LoRA: a kohya or PEFT `.safetensors` file applied to the U-Net's
 * cross-attention K/V layers at a strength. Typed as text like the other fields and checked with
 * the contract's `generationParamsSchema.lora`.
 */
export interface LoraForm {
  readonly enabled: boolean
  readonly path: string
  readonly scale: string
}

export type LoraParams = NonNullable<GenerationParams['lora']>

export const defaultLoraForm: LoraForm = { enabled: false, path: '', scale: '1' }

/** The form for an image's parameters: on with its file and strength when it used a LoRA. */
export function loraFormFromParams(params: GenerationParams): LoraForm {
  return params.lora
    ? { enabled: true, path: params.lora.path, scale: String(params.lora.scale) }
    : defaultLoraForm
}

export interface LoraErrors {
  readonly path?: string
  readonly scale?: string
}

export type LoraValidation =
  | { readonly ok: true; readonly lora: LoraParams | undefined; readonly errors: LoraErrors }
  | { readonly ok: false; readonly lora: null; readonly errors: LoraErrors }

const loraSchema = generationParamsSchema.shape.lora.unwrap()

/** A full path on any platform: /…, ~/…, C:\…, C:/… or \\server\…. */
const isAbsolutePath = (p: string): boolean => /^(\/|~[\\/]|[A-Za-z]:[\\/]|\\\\)/.test(p)

/** Undefined when the section is off; else the file and strength, or what is wrong, in words. */
export function validateLoraForm(form: LoraForm): LoraValidation {
  if (!form.enabled) return { ok: true, lora: undefined, errors: {} }
  const errors: { path?: string; scale?: string } = {}
  const path = form.path.trim()
  const text = form.scale.trim()
  const scale = Number(text)
  if (path === '') errors.path = 'Enter the path of a LoRA file (.safetensors).'
  else if (!isAbsolutePath(path)) errors.path = 'Enter the full path of the file.'
  if (text === '') errors.scale = 'Enter a value for strength.'
  else if (!Number.isFinite(scale)) errors.scale = 'Strength must be a number.'
  if (errors.path === undefined && errors.scale === undefined) {
    const parsed = loraSchema.safeParse({ path, scale })
    if (parsed.success) return { ok: true, lora: parsed.data, errors }
    for (const issue of parsed.error.issues) {
      const field = issue.path[0]
      const message =
        issue.code === 'too_small'
          ? `Strength must be at least ${String(issue.minimum)}.`
          : issue.code === 'too_big'
            ? `Strength must be at most ${String(issue.maximum)}.`
            : issue.message
      if (field === 'path') errors.path ??= issue.message
      else errors.scale ??= message
    }
  }
  return { ok: false, lora: null, errors }
}

/** The generation parameters with the LoRA (or without one when the section is off). */
export function withLora(params: GenerationParams, lora: LoraParams | undefined): GenerationParams {
  if (lora === undefined) {
    const { lora: _unused, ...rest } = params
    return rest
  }
  return { ...params, lora }
}

/** "style.safetensors at 0.8" */
export function loraLabel(lora: LoraParams): string {
  const name = lora.path.split(/[\\/]/).pop() || lora.path
  return `${name} at ${lora.scale}`
}
