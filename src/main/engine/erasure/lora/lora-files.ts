import type { SafeTensor } from '../../export/safetensors'
import { decodeSafeTensors, encodeSafeTensors, fromFloat32Array, toFloat32Array } from '../../export/safetensors'
import type { AlignCheckpoint } from './align'
import type { LoraSet } from './lora-params'
import { loraDelta, loraScale } from './lora-params'

/**
 * The LoRA stage's files: `lora.safetensors` (A [r, d] and B [C, r] per module path, rank and
 * alpha in the metadata) and a checkpoint with the same factors plus Adam's moments, the step
 * and the loss curve, so a cancelled run resumes bit for bit.
 */
export function encodeLora(set: LoraSet, meta: Record<string, string> = {}): Uint8Array {
  const t = new Map<string, SafeTensor>()
  for (const l of set.layers) {
    t.set(`${l.path}.lora_A`, fromFloat32Array(l.a, [set.rank, l.contextDim], 'F32'))
    t.set(`${l.path}.lora_B`, fromFloat32Array(l.b, [l.width, set.rank], 'F32'))
  }
  return encodeSafeTensors(t, { ...meta, rank: String(set.rank), alpha: String(set.alpha) })
}

/** Torch-layout LoRA deltas s·B·A per module path, from a lora.safetensors file. */
export function loraDeltasFromFile(bytes: Uint8Array): Map<string, Float32Array> {
  const f = decodeSafeTensors(bytes, 'lora.safetensors')
  const rank = Number(f.metadata.rank)
  const alpha = Number(f.metadata.alpha)
  const out = new Map<string, Float32Array>()
  for (const [key, a] of f.tensors) {
    if (!key.endsWith('.lora_A')) continue
    const p = key.slice(0, -'.lora_A'.length)
    const b = f.tensors.get(`${p}.lora_B`)
    if (!b) throw new Error(`lora.safetensors has ${key} without ${p}.lora_B`)
    const layer = { path: p, initializer: '', width: b.shape[0]!, contextDim: a.shape[1]!, a: toFloat32Array(a), b: toFloat32Array(b) }
    out.set(p, loraDelta(layer, rank, loraScale({ rank, alpha, layers: [] })))
  }
  return out
}

export function encodeCheckpoint(cp: AlignCheckpoint): Uint8Array {
  const t = new Map<string, SafeTensor>()
  cp.lora.layers.forEach((l, i) => {
    t.set(`${l.initializer}.a`, fromFloat32Array(l.a, [l.a.length], 'F32'))
    t.set(`${l.initializer}.b`, fromFloat32Array(l.b, [l.b.length], 'F32'))
    for (const [j, name] of ['a', 'b'].entries()) {
      t.set(`${l.initializer}.${name}.m`, fromFloat32Array(cp.adam.m[2 * i + j]!, [l.a.length * (1 - j) + l.b.length * j], 'F32'))
      t.set(`${l.initializer}.${name}.v`, fromFloat32Array(cp.adam.v[2 * i + j]!, [l.a.length * (1 - j) + l.b.length * j], 'F32'))
    }
  })
  return encodeSafeTensors(t, { step: String(cp.step), adam_step: String(cp.adam.step), losses: JSON.stringify(cp.losses), evals: JSON.stringify(cp.evals) })
}

/** Restores a checkpoint into `set` (whose layers give the initializer names and shapes). */
export function decodeCheckpoint(bytes: Uint8Array, set: LoraSet): AlignCheckpoint {
  const f = decodeSafeTensors(bytes, 'lora-checkpoint.safetensors')
  const get = (k: string): Float32Array => {
    const t = f.tensors.get(k)
    if (!t) throw new Error(`the checkpoint lacks ${k}; it belongs to another run`)
    return toFloat32Array(t)
  }
  const m: Float32Array[] = []
  const v: Float32Array[] = []
  for (const l of set.layers) {
    l.a.set(get(`${l.initializer}.a`))
    l.b.set(get(`${l.initializer}.b`))
    for (const name of ['a', 'b']) {
      m.push(get(`${l.initializer}.${name}.m`))
      v.push(get(`${l.initializer}.${name}.v`))
    }
  }
  return {
    step: Number(f.metadata.step),
    lora: set,
    adam: { step: Number(f.metadata.adam_step), m, v },
    losses: JSON.parse(f.metadata.losses ?? '[]') as number[],
    evals: JSON.parse(f.metadata.evals ?? '[]') as [number, number][],
  }
}
