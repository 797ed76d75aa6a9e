import { lowRank } from '../linalg/svd'
import type { SafeTensor } from './safetensors'
import { fromFloat32Array, toFloat32Array } from './safetensors'
import { kohyaStem, peftPrefix } from './lora-keys'

/** One edited layer: its whole delta in torch layout ΔW [out = width, in = contextDim]. */
export interface LayerDelta {
  readonly path: string
  readonly width: number
  readonly contextDim: number
  readonly delta: Float32Array
}

export type LoraFormat = 'kohya' | 'peft'

export interface LoraExportOptions {
  readonly format: LoraFormat
  readonly rank: number
  readonly dtype: 'fp16' | 'fp32'
  /** kohya only: write full-rank `.diff` keys instead of a factorization (exact, larger). */
  readonly fullRank?: boolean
  readonly sdVersion: '1.x' | '2.x' | 'custom'
  readonly outputName: string
  /** Our own metadata (experiment id, method, parameters), added under realera_* keys. */
  readonly extraMetadata?: Readonly<Record<string, string>>
}

export interface LayerReport {
  readonly path: string
  readonly rank: number
  /** Relative Frobenius error of the saved tensors (after dtype rounding) vs the true delta. */
  readonly relError: number
}

export interface LoraExport {
  readonly tensors: Map<string, SafeTensor>
  readonly metadata: Record<string, string>
  readonly layers: readonly LayerReport[]
}

const DT = { fp16: 'F16', fp32: 'F32' } as const

function relError(truth: Float32Array, approx: Float32Array): number {
  let num = 0
  let den = 0
  for (let i = 0; i < truth.length; i++) {
    num += (truth[i]! - approx[i]!) ** 2
    den += truth[i]! ** 2
  }
  return den > 0 ? Math.sqrt(num / den) : 0
}

function product(up: Float32Array, down: Float32Array, out: number, r: number, inDim: number, scale: number): Float32Array {
  const res = new Float32Array(out * inDim)
  for (let i = 0; i < out; i++)
    for (let k = 0; k < r; k++) {
      const u = up[i * r + k]! * scale
      for (let j = 0; j < inDim; j++) res[i * inDim + j] = res[i * inDim + j]! + u * down[k * inDim + j]!
    }
  return res
}

/**
 * Builds the LoRA tensors for every layer: a rank-r factorization of each layer's whole delta
 * (exact when the delta's rank fits, a truncated SVD otherwise), alpha = r so the effective scale
 * alpha/r is 1. Each layer's reported error is measured on the tensors as saved (after fp16
 * rounding), so what the user sees is what the file reproduces.
 */
export function buildLoraExport(layers: readonly LayerDelta[], o: LoraExportOptions): LoraExport {
  const tensors = new Map<string, SafeTensor>()
  const reports: LayerReport[] = []
  const dtype = DT[o.dtype]
  for (const l of layers) {
    if (o.format === 'kohya' && o.fullRank) {
      const diff = fromFloat32Array(l.delta, [l.width, l.contextDim], dtype)
      tensors.set(`${kohyaStem(l.path)}.diff`, diff)
      reports.push({ path: l.path, rank: Math.min(l.width, l.contextDim), relError: relError(l.delta, toFloat32Array(diff)) })
      continue
    }
    const f = lowRank(Float64Array.from(l.delta), l.width, l.contextDim, o.rank)
    const up = fromFloat32Array(f.up, [l.width, f.rank], dtype)
    const down = fromFloat32Array(f.down, [f.rank, l.contextDim], dtype)
    const rebuilt = product(toFloat32Array(up), toFloat32Array(down), l.width, f.rank, l.contextDim, 1)
    reports.push({ path: l.path, rank: f.rank, relError: relError(l.delta, rebuilt) })
    if (o.format === 'kohya') {
      const stem = kohyaStem(l.path)
      tensors.set(`${stem}.lora_down.weight`, down)
      tensors.set(`${stem}.lora_up.weight`, up)
      tensors.set(`${stem}.alpha`, fromFloat32Array([f.rank], [], dtype))
    } else {
      const p = peftPrefix(l.path)
      tensors.set(`${p}.lora_A.weight`, down)
      tensors.set(`${p}.lora_B.weight`, up)
    }
  }
  const rank = o.fullRank ? 0 : o.rank
  const metadata: Record<string, string> = {
    ...(o.format === 'kohya'
      ? {
          ss_network_module: 'networks.lora',
          ss_network_dim: String(rank),
          ss_network_alpha: String(rank),
          ss_base_model_version: o.sdVersion === '2.x' ? 'sd_v2' : 'sd_v1',
          ss_v2: o.sdVersion === '2.x' ? 'True' : 'False',
          ss_output_name: o.outputName,
        }
      : {
          format: 'pt',
          adapter_config: JSON.stringify({
            peft_type: 'LORA',
            r: o.rank,
            lora_alpha: o.rank,
            target_modules: [...new Set(layers.map((l) => l.path.split('.').slice(-2).join('.')))],
            bias: 'none',
          }),
        }),
    ...Object.fromEntries(Object.entries(o.extraMetadata ?? {}).map(([k, v]) => [`realera_${k}`, v])),
  }
  return { tensors, metadata, layers: reports }
}
