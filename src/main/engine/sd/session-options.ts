import type * as ort from 'onnxruntime-node'
import { chooseProvider } from '../runtime/execution-providers'

export interface RuntimeOptions {
  /** 'auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu' */
  readonly provider: string
  /** Intra-op threads; 0 lets ONNX Runtime decide. */
  readonly threads: number
}

export interface ResolvedRuntime {
  readonly provider: string
  readonly fallbackReason: string | null
  readonly threads: number
}

export function resolveRuntime(opts: RuntimeOptions): ResolvedRuntime {
  const choice = chooseProvider(opts.provider)
  return { provider: choice.provider, fallbackReason: choice.fallbackReason, threads: opts.threads }
}

/** Session options shared by every component of a pipeline. */
export function sessionOptions(rt: ResolvedRuntime): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [rt.provider],
    graphOptimizationLevel: 'all',
    ...(rt.threads > 0 ? { intraOpNumThreads: rt.threads } : {}),
  }
}
