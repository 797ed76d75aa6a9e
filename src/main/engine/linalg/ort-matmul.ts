import * as ort from 'onnxruntime-node'
import { attr } from '../onnx/attributes'
import { GraphBuilder } from '../onnx/graph-builder'
import { encodeModel } from '../onnx/model-io'

export type Real = Float32Array | Float64Array

export interface Mat<T extends Real = Real> {
  readonly data: T
  readonly rows: number
  readonly cols: number
}

type Kind = 'nn' | 'tn' | 'nt'

/**
 * Large dense products through ONNX Runtime (about 200× faster than JS loops here, and
 * multi-threaded). One tiny session per (dtype, transpose) pair, created on first use and
 * reused: `matmul(a, b)` is a·b, `matmulTN(a, b)` is aᵀ·b, `matmulNT(a, b)` is a·bᵀ.
 */
export class OrtMatMul {
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>()

  constructor(private readonly threads = 0) {}

  matmul<T extends Real>(a: Mat<T>, b: Mat<T>): Promise<Mat<T>> {
    if (a.cols !== b.rows) throw new Error(`matmul shape mismatch: ${a.rows}×${a.cols} · ${b.rows}×${b.cols}`)
    return this.run('nn', a, b, a.rows, b.cols)
  }

  matmulTN<T extends Real>(a: Mat<T>, b: Mat<T>): Promise<Mat<T>> {
    if (a.rows !== b.rows) throw new Error(`matmulTN shape mismatch: (${a.rows}×${a.cols})ᵀ · ${b.rows}×${b.cols}`)
    return this.run('tn', a, b, a.cols, b.cols)
  }

  matmulNT<T extends Real>(a: Mat<T>, b: Mat<T>): Promise<Mat<T>> {
    if (a.cols !== b.cols) throw new Error(`matmulNT shape mismatch: ${a.rows}×${a.cols} · (${b.rows}×${b.cols})ᵀ`)
    return this.run('nt', a, b, a.rows, b.rows)
  }

  async dispose(): Promise<void> {
    for (const s of this.sessions.values()) await (await s).release()
    this.sessions.clear()
  }

  private async run<T extends Real>(kind: Kind, a: Mat<T>, b: Mat<T>, rows: number, cols: number): Promise<Mat<T>> {
    const dtype = a.data instanceof Float64Array ? 'float64' : 'float32'
    const session = await this.session(kind, dtype)
    const out = await session.run({
      A: new ort.Tensor(dtype, a.data, [a.rows, a.cols]),
      B: new ort.Tensor(dtype, b.data, [b.rows, b.cols]),
    })
    const y = out.Y
    if (!y) throw new Error('matmul session returned no output')
    return { data: y.data as T, rows, cols }
  }

  private session(kind: Kind, dtype: 'float32' | 'float64'): Promise<ort.InferenceSession> {
    const key = `${kind}:${dtype}`
    let s = this.sessions.get(key)
    if (!s) {
      const g = new GraphBuilder({ graphName: `matmul_${kind}` })
      g.input('A', dtype, ['m', 'k'])
      g.input('B', dtype, ['k2', 'n'])
      const t = (x: string): string => g.node('Transpose', [x], { attrs: { perm: attr.ints([1, 0]) } })[0]!
      g.node('MatMul', [kind === 'tn' ? t('A') : 'A', kind === 'nt' ? t('B') : 'B'], { outputs: ['Y'] })
      g.output('Y', dtype, ['r', 'n'])
      s = ort.InferenceSession.create(encodeModel(g.build()), {
        intraOpNumThreads: this.threads,
        graphOptimizationLevel: 'all',
      })
      this.sessions.set(key, s)
    }
    return s
  }
}
