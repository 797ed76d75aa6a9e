import * as ort from 'onnxruntime-node'

/**
 * One table of execution providers per platform, in order of preference. `cpu` is always last
 * and always works. The names are what onnxruntime-node's `executionProviders` option takes.
 */
export const providerTable: Readonly<Record<string, readonly string[]>> = {
  'linux-x64': ['cuda', 'cpu'],
  'linux-arm64': ['cpu'],
  'win32-x64': ['dml', 'cpu'],
  'win32-arm64': ['dml', 'cpu'],
  'darwin-x64': ['coreml', 'cpu'],
  'darwin-arm64': ['coreml', 'cpu'],
}

const notes: Readonly<Record<string, string>> = {
  cuda: 'NVIDIA GPU on Linux. Install with: npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12',
  dml: 'DirectML on Windows (any DirectX 12 GPU).',
  coreml: 'Core ML on macOS (Apple Neural Engine / GPU).',
  webgpu: 'WebGPU (experimental in onnxruntime-node).',
  cpu: 'Always available.',
}

export interface ProviderInfo {
  readonly name: string
  readonly available: boolean
  readonly note: string
}

/** What this machine's onnxruntime-node build can run, per the platform table. */
export function listProviders(platform = process.platform, arch = process.arch): ProviderInfo[] {
  const bundled = new Set(
    ort.listSupportedBackends().filter((b) => b.bundled).map((b) => b.name),
  )
  const candidates = providerTable[`${platform}-${arch}`] ?? ['cpu']
  return candidates.map((name) => ({
    name,
    available: name === 'cpu' || bundled.has(name),
    note: notes[name] ?? '',
  }))
}

export interface ProviderChoice {
  readonly provider: string
  /** Why the choice fell back to CPU, when it did; recorded with the run. */
  readonly fallbackReason: string | null
}

/**
 * Picks what the user chose, or the best available for `auto`, falling back to CPU with a
 * reason instead of failing: a run on CPU is slower but still correct.
 */
export function chooseProvider(requested: string, platform = process.platform, arch = process.arch): ProviderChoice {
  const providers = listProviders(platform, arch)
  if (requested === 'auto') {
    const best = providers.find((p) => p.available)
    return { provider: best?.name ?? 'cpu', fallbackReason: null }
  }
  const match = providers.find((p) => p.name === requested)
  if (!match) {
    const offered = providers.map((p) => p.name).join(', ')
    return { provider: 'cpu', fallbackReason: `${requested} is not offered on ${platform}-${arch} (offered: ${offered}); using cpu.` }
  }
  if (!match.available) {
    return { provider: 'cpu', fallbackReason: `${requested} is not installed in this onnxruntime-node build; using cpu. ${match.note}` }
  }
  return { provider: requested, fallbackReason: null }
}
