import type { ErasureParams, ErasureSpec, PointKind } from '../../../shared/contract'
import type { OrtMatMul } from '../linalg/ort-matmul'
import { createNoiseSource } from '../sd/noise'
import type { SharedTransform } from './closed-form'
import { solveSharedTransform } from './closed-form'
import { pca2 } from './projection'
import { sampleBeyond, sampleNeighbors } from './sampling'
import type { AlignPrompt } from './lora/align'
import type { Span, TokenCounter } from './token-alignment'
import { alignPositions, selfPositions, templatedSpan } from './token-alignment'

/** What stage 1 needs from the model: the text encoder behind a tokenizer. */
export interface PromptEncoder extends TokenCounter {
  readonly dim: number
  readonly maxLength: number
  /** Hidden states [maxLength, dim] per prompt, and its BOS..EOS token count. */
  encode(prompts: readonly string[]): Promise<{ hidden: Float32Array; length: number }[]>
}

export interface PointRecord {
  readonly kind: PointKind
  readonly prompt: string
  readonly concept: number
  readonly distance: number
  readonly cosine: number
  /** The point in embedding space (width d), at the prompt's last token before EOS. */
  readonly vector: Float32Array
  x: number
  y: number
}

export interface Stage1Result {
  readonly transform: SharedTransform
  /** Per erasure prompt, what the LoRA stage resamples around (Algorithm 1 line 28). */
  readonly alignPrompts: AlignPrompt[]
  /** Hidden states of the user's preserved prompts (the LoRA stage keeps them in place too). */
  readonly preservedContexts: Float32Array[]
  readonly points: PointRecord[]
  readonly rows: { readonly source: number; readonly preserve: number }
  readonly explained: [number, number]
  readonly timings: { readonly encodeMs: number; readonly mineMs: number; readonly solveMs: number }
}

export interface Control {
  readonly signal?: AbortSignal
  readonly onProgress?: (p: { phase: string; step: number; total: number | null }) => void
}

interface ErasurePrompt {
  readonly concept: number
  readonly prompt: string
  readonly span: Span
  readonly anchorPrompt: string
  readonly anchorSpan: Span
}

/** Appends rows of `hidden` at `positions`, each shifted by `eta` when given. */
function pushRows(out: number[], hidden: Float32Array, d: number, positions: readonly number[], eta?: Float32Array): void {
  for (const p of positions) for (let k = 0; k < d; k++) out.push(hidden[p * d + k]! + (eta ? eta[k]! : 0))
}

const rowAt = (hidden: Float32Array, d: number, p: number): Float32Array => hidden.slice(p * d, p * d + d)

function distanceTo(e: Float32Array, v: Float32Array): number {
  let s = 0
  for (let k = 0; k < e.length; k++) s += (v[k]! - e[k]!) ** 2
  return Math.sqrt(s)
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0
  let aa = 0
  let bb = 0
  for (let k = 0; k < a.length; k++) {
    ab += a[k]! * b[k]!
    aa += a[k]! * a[k]!
    bb += b[k]! * b[k]!
  }
  return ab / Math.sqrt(aa * bb)
}

/**
 * RealEra stage 1 (Algorithm 1 lines 1–24): encode the prompts, mine neighbor and beyond
 * points around each erasure prompt's embedding (one seeded stream, consumed in a fixed order),
 * then solve the closed form once for the shared T. The variant decides which sets enter the
 * solve: closed form only, + neighbors, + beyond points.
 */
export async function runStage1(spec: ErasureSpec, params: ErasureParams, encoder: PromptEncoder, mm: OrtMatMul, control: Control = {}): Promise<Stage1Result> {
  const { signal, onProgress } = control
  const d = encoder.dim
  const t0 = performance.now()
  const erasure: ErasurePrompt[] = spec.concepts.flatMap((c, concept) =>
    c.templates.map((template) => {
      const a = templatedSpan(encoder, template, c.concept)
      const b = templatedSpan(encoder, template, c.anchor)
      return { concept, prompt: a.prompt, span: a.span, anchorPrompt: b.prompt, anchorSpan: b.span }
    }),
  )
  const templates = spec.concepts[0]?.templates ?? ['{}']
  const preserved = spec.preserve.flatMap((p) => templates.map((t) => templatedSpan(encoder, t, p)))
  const uncond = params.preserveUnconditional ? [''] : []
  const unique = [...new Set([...erasure.flatMap((e) => [e.prompt, e.anchorPrompt]), ...preserved.map((p) => p.prompt), ...spec.probes, ...uncond])]
  const encoded = new Map<string, { hidden: Float32Array; length: number }>()
  const batch = 8
  for (let i = 0; i < unique.length; i += batch) {
    signal?.throwIfAborted()
    const chunk = unique.slice(i, i + batch)
    const out = await encoder.encode(chunk)
    chunk.forEach((p, j) => encoded.set(p, out[j]!))
    onProgress?.({ phase: 'encode', step: Math.min(unique.length, i + batch), total: unique.length })
  }
  const get = (p: string): { hidden: Float32Array; length: number } => encoded.get(p)!
  const last = (p: string): Float32Array => rowAt(get(p).hidden, d, get(p).length - 2)
  const t1 = performance.now()

  const mining = params.variant !== 'closed-form'
  const beyond = params.variant === 'mining-beyond' || params.variant === 'full'
  const rng = createNoiseSource(params.seed)
  const source: number[] = []
  const target: number[] = []
  const preserve: number[] = []
  const points: PointRecord[] = []
  const point = (kind: PointKind, prompt: string, concept: number, vector: Float32Array, e: Float32Array): void => {
    points.push({ kind, prompt, concept, vector, distance: distanceTo(e, vector), cosine: cosine(e, vector), x: 0, y: 0 })
  }
  const refs: Float32Array[] = []
  const alignPrompts: AlignPrompt[] = []
  for (const [i, ep] of erasure.entries()) {
    signal?.throwIfAborted()
    const h = get(ep.prompt).hidden
    const ha = get(ep.anchorPrompt).hidden
    const pairs = alignPositions(ep.span, ep.anchorSpan, params.tokenPositions, encoder.maxLength)
    const srcPos = pairs.map(([s]) => s)
    const tgtPos = pairs.map(([, t]) => t)
    pushRows(source, h, d, srcPos)
    pushRows(target, ha, d, tgtPos)
    const e = last(ep.prompt)
    refs[ep.concept] ??= e
    alignPrompts.push({ concept: h, anchor: ha, positions: srcPos, reference: e })
    point('erasure', ep.prompt, ep.concept, e, e)
    const eStar = last(ep.anchorPrompt)
    point('anchor', ep.anchorPrompt, ep.concept, eStar, e)
    if (mining) {
      for (const s of await inChunks(params.m, (n) => sampleNeighbors(e, params, rng, n), signal)) {
        pushRows(source, h, d, srcPos, s.eta)
        pushRows(target, ha, d, tgtPos, s.etaAnchor)
        points.push({ kind: 'neighbor', prompt: ep.prompt, concept: ep.concept, vector: Float32Array.from(e, (x, k) => x + s.eta[k]!), distance: s.distance, cosine: s.cosine, x: 0, y: 0 })
        point('anchor-tolerance', ep.anchorPrompt, ep.concept, Float32Array.from(eStar, (x, k) => x + s.etaAnchor[k]!), e)
      }
    }
    if (beyond) {
      for (const s of await inChunks(params.n, (n) => sampleBeyond(e, params, rng, n), signal)) {
        pushRows(preserve, h, d, srcPos, s.eta)
        points.push({ kind: 'beyond', prompt: ep.prompt, concept: ep.concept, vector: Float32Array.from(e, (x, k) => x + s.eta[k]!), distance: s.distance, cosine: s.cosine, x: 0, y: 0 })
      }
    }
    onProgress?.({ phase: 'mine', step: i + 1, total: erasure.length })
  }
  const nearest = (v: Float32Array): { concept: number; e: Float32Array } => {
    let best = 0
    refs.forEach((e, c) => {
      if (cosine(e, v) > cosine(refs[best]!, v)) best = c
    })
    return { concept: best, e: refs[best]! }
  }
  for (const p of preserved) {
    pushRows(preserve, get(p.prompt).hidden, d, selfPositions(p.span, params.tokenPositions, encoder.maxLength))
    const v = last(p.prompt)
    const n = nearest(v)
    point('preserved', p.prompt, n.concept, v, n.e)
  }
  if (params.preserveUnconditional) {
    // Every position after BOS: the empty prompt is EOS then padding, all of it seen by CFG.
    const positions = Array.from({ length: encoder.maxLength - 1 }, (_, i) => i + 1)
    pushRows(preserve, get('').hidden, d, positions)
  }
  for (const prompt of spec.probes) {
    const v = last(prompt)
    const n = nearest(v)
    point('probe', prompt, n.concept, v, n.e)
  }
  const t2 = performance.now()

  signal?.throwIfAborted()
  onProgress?.({ phase: 'solve', step: 0, total: 1 })
  const transform = await solveSharedTransform(
    { dim: d, source: Float32Array.from(source), target: Float32Array.from(target), preserve: Float32Array.from(preserve), lambda: params.lambda, lambda1: params.lambda1 },
    mm,
  )
  const vectors = new Float32Array(points.length * d)
  points.forEach((p, i) => vectors.set(p.vector, i * d))
  const { xy, explained } = await pca2(vectors, d, mm)
  points.forEach((p, i) => {
    p.x = xy[i * 2]!
    p.y = xy[i * 2 + 1]!
  })
  onProgress?.({ phase: 'solve', step: 1, total: 1 })
  const t3 = performance.now()
  return {
    transform,
    alignPrompts,
    preservedContexts: preserved.map((p) => get(p.prompt).hidden),
    points,
    rows: { source: source.length / d, preserve: preserve.length / d },
    explained,
    timings: { encodeMs: t1 - t0, mineMs: t2 - t1, solveMs: t3 - t2 },
  }
}


/**
 * Draws `total` samples in chunks, yielding to the event loop between chunks so the host keeps
 * answering (and cancel takes effect) while a large M or N is mined. The random stream is the
 * same as one call, so results do not depend on the chunk size.
 */
async function inChunks<T>(total: number, draw: (n: number) => T[], signal?: AbortSignal): Promise<T[]> {
  const out: T[] = []
  while (out.length < total) {
    signal?.throwIfAborted()
    out.push(...draw(Math.min(64, total - out.length)))
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return out
}
