import { StudioError } from '../../../shared/errors'
import type { KvProjection } from '../onnx/surgery/kv-discovery'
import type { SafeTensorsFile } from './safetensors'
import { toFloat32Array } from './safetensors'
import { kohyaStem, parseLoraKey, peftPrefix } from './lora-keys'

export interface ImportedLora {
  /** Module path → ΔW [width, contextDim] (torch layout), already scaled. */
  readonly deltas: Map<string, Float32Array>
  /** Keys that match no K/V projection of the model (reported, never silently dropped). */
  readonly unmatched: readonly string[]
  readonly format: 'kohya' | 'peft'
}

/**
 * Reads a kohya or PEFT LoRA onto a model's cross-attention K/V projections: ΔW = scale ·
 * (alpha / r) · up·down (kohya), scale · B·A (PEFT), or the `.diff` tensor. Shapes are checked
 * against the model before anything is applied; the first mismatch is named.
 */
export function importLora(file: SafeTensorsFile, projections: readonly KvProjection[], scale = 1): ImportedLora {
  const byStem = new Map<string, KvProjection>()
  for (const p of projections) {
    byStem.set(kohyaStem(p.path), p)
    byStem.set(peftPrefix(p.path), p)
  }
  const groups = new Map<string, Partial<Record<'down' | 'up' | 'alpha' | 'diff', string>>>()
  const unmatched: string[] = []
  let format: 'kohya' | 'peft' | null = null
  for (const key of [...file.tensors.keys()].sort()) {
    const parsed = parseLoraKey(key)
    if (!parsed || !byStem.has(parsed.stem)) {
      unmatched.push(key)
      continue
    }
    format ??= parsed.format
    const g = groups.get(parsed.stem) ?? {}
    g[parsed.role] = key
    groups.set(parsed.stem, g)
  }
  if (groups.size === 0) {
    throw new StudioError('invalid-input', `No key of this file matches the model's cross-attention K/V layers (${unmatched.length} keys, e.g. ${unmatched.slice(0, 2).join(', ')}). It is not a kohya or PEFT LoRA for this U-Net.`)
  }
  const deltas = new Map<string, Float32Array>()
  const tensor = (key: string): { shape: readonly number[]; values: Float32Array } => {
    const t = file.tensors.get(key)!
    return { shape: t.shape, values: toFloat32Array(t) }
  }
  const mismatch = (key: string, shape: readonly number[], p: KvProjection, expected: string): StudioError =>
    new StudioError('invalid-input', `${key} has shape [${shape.join(', ')}] but this model's ${p.path} needs ${expected}: the LoRA was made for another architecture (context width ${p.contextDim} here).`)
  for (const [stem, g] of groups) {
    const p = byStem.get(stem)!
    if (g.diff) {
      const d = tensor(g.diff)
      if (d.shape[0] !== p.width || d.shape[1] !== p.contextDim) throw mismatch(g.diff, d.shape, p, `[${p.width}, ${p.contextDim}]`)
      deltas.set(p.path, d.values.map((x) => x * scale))
      continue
    }
    if (!g.down || !g.up) throw new StudioError('invalid-input', `${stem} has ${g.down ? 'a down' : 'an up'} matrix but not the other; the file is incomplete.`)
    const down = tensor(g.down)
    const up = tensor(g.up)
    const r = down.shape[0]!
    if (down.shape.length !== 2 || down.shape[1] !== p.contextDim) throw mismatch(g.down, down.shape, p, `[r, ${p.contextDim}]`)
    if (up.shape.length !== 2 || up.shape[0] !== p.width || up.shape[1] !== r) throw mismatch(g.up, up.shape, p, `[${p.width}, ${r}]`)
    const alpha = g.alpha ? tensor(g.alpha).values[0]! : r
    const s = (scale * alpha) / r
    const delta = new Float32Array(p.width * p.contextDim)
    for (let i = 0; i < p.width; i++)
      for (let k = 0; k < r; k++) {
        const u = up.values[i * r + k]! * s
        for (let j = 0; j < p.contextDim; j++) delta[i * p.contextDim + j] = delta[i * p.contextDim + j]! + u * down.values[k * p.contextDim + j]!
      }
    deltas.set(p.path, delta)
  }
  return { deltas, unmatched, format: format ?? 'kohya' }
}
