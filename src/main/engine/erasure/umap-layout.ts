import { UMAP } from 'umap-js'
import { StudioError } from '../../../shared/errors'
import type { OrtMatMul } from '../linalg/ort-matmul'
import { createNoiseSource } from '../sd/noise'

export interface UmapOptions {
  /** Seeds the initial layout and the negative sampling: same seed and points, same layout. */
  readonly seed: number
  readonly nNeighbors: number
  readonly minDist: number
  readonly signal?: AbortSignal
  readonly onProgress?: (p: { phase: string; step: number; total: number | null }) => void
}

export interface UmapOutput {
  /** x0, y0, x1, y1, … */
  readonly xy: Float64Array
  readonly epochs: number
  readonly nNeighbors: number
}

/** Rows per Gram block: 500 × 5,000 float64 is 20 MB. */
const BLOCK_ROWS = 500
/** Hand the event loop back at least this often (ms), so the host answers and cancel lands. */
const SLICE_MS = 50

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * Exact k nearest neighbours (Euclidean, each point its own first neighbour at distance 0), from
 * Gram blocks computed by ONNX Runtime in float64: ‖a − b‖² = ‖a‖² + ‖b‖² − 2a·b. umap-js's own
 * NN-descent is approximate and runs in one synchronous call (seconds at 5,000 × 768, with
 * no way to cancel); this is exact, reports progress and checks the signal between blocks.
 */
export async function exactKnn(
  vectors: Float32Array,
  d: number,
  k: number,
  mm: OrtMatMul,
  control: Pick<UmapOptions, 'signal' | 'onProgress'> = {},
): Promise<{ indices: number[][]; distances: number[][] }> {
  const n = vectors.length / d
  const all = Float64Array.from(vectors)
  const sq = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let q = 0; q < d; q++) s += all[i * d + q]! ** 2
    sq[i] = s
  }
  const indices: number[][] = []
  const distances: number[][] = []
  const blocks = Math.ceil(n / BLOCK_ROWS)
  for (let b = 0; b < blocks; b++) {
    control.signal?.throwIfAborted()
    const start = b * BLOCK_ROWS
    const rows = Math.min(BLOCK_ROWS, n - start)
    const gram = await mm.matmulNT({ data: all.subarray(start * d, (start + rows) * d), rows, cols: d }, { data: all, rows: n, cols: d })
    for (let r = 0; r < rows; r++) {
      const i = start + r
      const best = nearest(gram.data, r * n, n, i, sq, k)
      indices.push(best.map((e) => e.j))
      distances.push(best.map((e) => (e.j === i ? 0 : Math.sqrt(Math.max(0, e.d2)))))
    }
    control.onProgress?.({ phase: 'neighbors', step: b + 1, total: blocks })
    await yieldToLoop()
  }
  return { indices, distances }
}

/** The k smallest squared distances of row i (insertion into a sorted list of k). */
function nearest(gram: Float64Array, offset: number, n: number, i: number, sq: Float64Array, k: number): { j: number; d2: number }[] {
  const best: { j: number; d2: number }[] = [{ j: i, d2: -Infinity }]
  for (let j = 0; j < n; j++) {
    if (j === i) continue
    const d2 = sq[i]! + sq[j]! - 2 * gram[offset + j]!
    if (best.length === k && d2 >= best[k - 1]!.d2) continue
    let at = best.length
    while (at > 1 && best[at - 1]!.d2 > d2) at--
    best.splice(at, 0, { j, d2 })
    if (best.length > k) best.pop()
  }
  return best
}

/**
 * A seeded 2-D UMAP of n points of width d (umap-js, Euclidean): exact kNN first, then the
 * layout optimised one epoch at a time, checking the signal and reporting progress between
 * epochs. UMAP keeps neighbourhoods, not distances: the map says so next to it.
 */
export async function umapLayout(vectors: Float32Array, d: number, mm: OrtMatMul, options: UmapOptions): Promise<UmapOutput> {
  const n = d > 0 ? vectors.length / d : 0
  if (n < 3) throw new StudioError('invalid-input', `A UMAP layout needs at least 3 points; this experiment has ${n}.`)
  const { signal, onProgress } = options
  const nNeighbors = Math.min(options.nNeighbors, n - 1)
  const knn = await exactKnn(vectors, d, nNeighbors, mm, { signal, onProgress })
  signal?.throwIfAborted()
  const rng = createNoiseSource(options.seed)
  const umap = new UMAP({ nComponents: 2, nNeighbors, minDist: options.minDist, random: () => rng.uniform() })
  umap.setPrecomputedKNN(knn.indices, knn.distances)
  const rows: number[][] = []
  for (let i = 0; i < n; i++) rows.push(Array.from(vectors.subarray(i * d, (i + 1) * d)))
  const epochs = umap.initializeFit(rows)
  let last = performance.now()
  for (let e = 0; e < epochs; ) {
    signal?.throwIfAborted()
    e = umap.step()
    if (performance.now() - last >= SLICE_MS || e === epochs) {
      onProgress?.({ phase: 'layout', step: e, total: epochs })
      await yieldToLoop()
      last = performance.now()
    }
  }
  signal?.throwIfAborted()
  const embedding = umap.getEmbedding()
  const xy = new Float64Array(n * 2)
  embedding.forEach((p, i) => {
    xy[i * 2] = p[0]!
    xy[i * 2 + 1] = p[1]!
  })
  return { xy, epochs, nNeighbors }
}
