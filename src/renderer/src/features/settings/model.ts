import type { ExecutionProviderChoice, Settings } from '../../../../shared/contract'
import { executionProviderSchema, settingsSchema } from '../../../../shared/contract'

export interface Option<T extends string> {
  readonly value: T
  readonly label: string
}

export const themeOptions: readonly Option<Settings['theme']>[] = [
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
  { value: 'system', label: 'System' },
]

const providerLabels: Record<ExecutionProviderChoice, string> = {
  auto: 'Automatic (best available)',
  cpu: 'CPU',
  cuda: 'CUDA (NVIDIA, Linux)',
  dml: 'DirectML (Windows)',
  coreml: 'Core ML (macOS)',
  webgpu: 'WebGPU (experimental)',
}

export const providerOptions: readonly Option<ExecutionProviderChoice>[] =
  executionProviderSchema.options.map((value) => ({ value, label: providerLabels[value] }))

export const isProviderChoice = (value: string): value is ExecutionProviderChoice =>
  (executionProviderSchema.options as readonly string[]).includes(value)

export const isThemeSetting = (value: unknown): value is Settings['theme'] =>
  themeOptions.some((o) => o.value === value)

const threadsSchema = settingsSchema.shape.threads

/** The thread-count field: a whole number from 0 (let ONNX Runtime decide) to 256. */
export function parseThreads(
  text: string,
): { ok: true; value: number } | { ok: false; error: string } {
  const trimmed = text.trim()
  if (!/^\d+$/.test(trimmed)) return { ok: false, error: 'Enter a whole number from 0 to 256.' }
  const parsed = threadsSchema.safeParse(Number(trimmed))
  if (!parsed.success) return { ok: false, error: 'Enter a whole number from 0 to 256.' }
  return { ok: true, value: parsed.data }
}

export const describeThreads = (threads: number): string =>
  threads === 0 ? 'Automatic: ONNX Runtime picks the number of threads.' : `${threads} threads.`

/** A folder field must hold something; the host checks that it is usable. */
export function validateFolder(text: string): string | null {
  return text.trim() === '' ? 'Enter a folder path.' : null
}
