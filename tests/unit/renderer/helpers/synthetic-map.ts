import type { EmbeddingMap, Point, PointKind } from '../../../../src/shared/contract'

/**
 * A stage-1-shaped map without a model: per erasure prompt, e, e*, M neighbors, M
 * anchor-tolerance targets and N beyond points, then preserved and probe prompts. Values come
 * from a fixed LCG, so tests and the benchmark see the same points every run.
 */
export function syntheticMap(options: {
  prompts: number
  m: number
  n: number
  preserved?: number
  probes?: number
  norm?: number
  umap?: boolean
}): EmbeddingMap {
  let state = 12345
  const rand = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
  const norm = options.norm ?? 10
  const points: Point[] = []
  const reference: number[] = []
  const references: EmbeddingMap['references'] = []
  const add = (
    kind: PointKind,
    prompt: string,
    ref: number,
    distance: number,
    cosine: number,
    cx: number,
    cy: number,
  ): void => {
    const a = rand() * Math.PI * 2
    const r = distance * (0.3 + 0.5 * rand())
    points.push({
      kind,
      prompt,
      concept: 0,
      distance,
      cosine,
      x: cx + r * Math.cos(a),
      y: cy + r * Math.sin(a),
    })
    reference.push(ref)
  }
  for (let t = 0; t < options.prompts; t++) {
    const prompt = `a painting in the style of van gogh ${t + 1}`
    const cx = (t % 5) * 3
    const cy = Math.floor(t / 5) * 3
    references.push({ point: points.length, prompt, concept: 0, norm })
    points.push({ kind: 'erasure', prompt, concept: 0, distance: 0, cosine: 1, x: cx, y: cy })
    reference.push(t)
    add('anchor', `anchor ${t + 1}`, t, 0.8 * norm, 0.7, cx, cy)
    for (let i = 0; i < options.m; i++)
      add('neighbor', prompt, t, rand() * 0.5 * norm, 0.8 + 0.19 * rand(), cx, cy)
    for (let i = 0; i < options.m; i++)
      add(
        'anchor-tolerance',
        `anchor ${t + 1}`,
        t,
        (0.8 + 0.1 * rand()) * norm,
        0.6 + 0.1 * rand(),
        cx,
        cy,
      )
    for (let i = 0; i < options.n; i++)
      add('beyond', prompt, t, (0.5 + 0.5 * rand()) * norm, 0.3 + 0.49 * rand(), cx, cy)
  }
  for (let i = 0; i < (options.preserved ?? 0); i++)
    add('preserved', `preserved ${i + 1}`, 0, (0.9 + rand()) * norm, 0.2 + 0.3 * rand(), 0, 0)
  for (let i = 0; i < (options.probes ?? 0); i++) {
    // Alternate: one probe well inside the neighborhood, one outside.
    const inside = i % 2 === 0
    add('probe', `probe ${i + 1}`, 0, (inside ? 0.2 : 0.9) * norm, inside ? 0.95 : 0.5, 0, 0)
  }
  const umap = options.umap
    ? {
        seed: 0,
        nNeighbors: 15,
        minDist: 0.1,
        epochs: 500,
        xy: points.flatMap((p) => [p.x * 2 + 1, p.y * 2 - 1]),
        durationMs: 10,
        computedAt: 0,
      }
    : null
  return { points, reference, references, umap }
}

/** About `total` points with stage 1's mix: 10 prompts, 2M + N + 2 per prompt, 10 + 10 prompts. */
export function syntheticMapOf(total: number, umap = false): EmbeddingMap {
  const perPrompt = Math.max(1, Math.floor((total - 20) / 10))
  const m = Math.floor((perPrompt - 2) * 0.4)
  const n = perPrompt - 2 - 2 * m
  return syntheticMap({ prompts: 10, m, n, preserved: 10, probes: 10, umap })
}
