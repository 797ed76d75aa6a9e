import type { ExportOptions, ExportPreview } from '../../../../shared/contract'
import { exportOptionsSchema } from '../../../../shared/contract'
import { issueText, parseNumberText } from '../../components/issue-text'

/**
 * Pure logic of the export dialog: options as typed (checked with the contract's schema), the
 * default target path of each format, and the hint shown when a low-rank file loses too much.
 */
export type ExportFormat = ExportOptions['format']
export type ExportDtype = ExportOptions['dtype']

export const exportFormats: readonly ExportFormat[] = ['kohya', 'peft', 'merged']

export const formatLabels: Record<ExportFormat, string> = {
  kohya: 'Kohya LoRA',
  peft: 'PEFT LoRA',
  merged: 'Merged model',
}

export const formatDescriptions: Record<ExportFormat, string> = {
  kohya: 'One .safetensors file for AUTOMATIC1111 and ComfyUI.',
  peft: 'One .safetensors file for diffusers (load_lora_weights).',
  merged: 'A copy of the model folder with the edit baked into the U-Net (ONNX).',
}

export const isExportFormat = (v: string): v is ExportFormat =>
  (exportFormats as readonly string[]).includes(v)

export const isExportDtype = (v: string): v is ExportDtype => v === 'fp16' || v === 'fp32'

/** Relative to the project folder: `exports/3-kohya.safetensors`, `exports/3-merged/`. */
export function defaultExportPath(experimentNumber: number, format: ExportFormat): string {
  return format === 'merged'
    ? `exports/${experimentNumber}-merged/`
    : `exports/${experimentNumber}-${format}.safetensors`
}

export interface ExportForm {
  readonly format: ExportFormat
  readonly rank: string
  readonly dtype: ExportDtype
  readonly fullRank: boolean
  readonly out: string
  /** Whether the user typed a path (then a format change keeps it). */
  readonly outEdited: boolean
}

const defaults: ExportOptions = exportOptionsSchema.parse({})

export function exportFormFor(experimentNumber: number): ExportForm {
  return {
    format: defaults.format,
    rank: String(defaults.rank),
    dtype: defaults.dtype,
    fullRank: defaults.fullRank,
    out: defaultExportPath(experimentNumber, defaults.format),
    outEdited: false,
  }
}

/** A new format; the path follows it unless the user chose one. */
export function withFormat(
  form: ExportForm,
  format: ExportFormat,
  experimentNumber: number,
): ExportForm {
  const out = form.outEdited ? form.out : defaultExportPath(experimentNumber, format)
  return { ...form, format, out }
}

export interface ExportErrors {
  readonly rank?: string
  readonly out?: string
}

/** Only what the format uses is sent: full-rank is a kohya option; merged has no rank. */
export function validateExportForm(form: ExportForm): {
  readonly options: ExportOptions | null
  readonly errors: ExportErrors
} {
  const errors: { rank?: string; out?: string } = {}
  if (form.out.trim() === '') errors.out = 'Choose where to save the export.'
  const fullRank = form.format === 'kohya' && form.fullRank
  let rank = defaults.rank
  if (form.format !== 'merged' && !fullRank) {
    const read = parseNumberText('Rank', form.rank)
    if ('error' in read) errors.rank = read.error
    else rank = read.value
  }
  const parsed = exportOptionsSchema.safeParse({
    format: form.format,
    rank,
    dtype: form.dtype,
    fullRank,
  })
  if (!parsed.success && errors.rank === undefined) {
    const issue = parsed.error.issues.find((i) => i.path[0] === 'rank')
    if (issue) errors.rank = issueText('Rank', issue)
  }
  const ok = parsed.success && Object.keys(errors).length === 0
  return { options: ok ? parsed.data : null, errors }
}

/** Above this relative error (1 %), the saved file no longer reproduces the edit faithfully. */
export const LARGE_REL_ERROR = 0.01

/** "0 %", "0.012 %", "4.2 %", "74 %": two significant digits. */
export function formatRelError(x: number): string {
  if (!Number.isFinite(x)) return '—'
  if (x === 0) return '0 %'
  const pct = x * 100
  return `${Number(pct.toPrecision(2))} %`
}

export const isLargeError = (relError: number): boolean => relError > LARGE_REL_ERROR

/** What to do when the preview's error is large; null when the file is faithful. */
export function errorHint(preview: ExportPreview, options: ExportOptions): string | null {
  if (!isLargeError(preview.maxRelError)) return null
  const worst = formatRelError(preview.maxRelError)
  switch (options.format) {
    case 'kohya':
      return options.fullRank
        ? `Up to ${worst} of the edit is lost to rounding: choose fp32.`
        : `At rank ${options.rank} up to ${worst} of the edit is lost: raise the rank or use full-rank.`
    case 'peft':
      return `At rank ${options.rank} up to ${worst} of the edit is lost: raise the rank (or export kohya with full-rank).`
    case 'merged':
      return null
  }
}

/** "3f2a9c…e41b" for a checksum too long to read. */
export const shortHash = (sha256: string): string =>
  sha256.length > 16 ? `${sha256.slice(0, 10)}…${sha256.slice(-6)}` : sha256
