import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { EmbeddingMap, MapReference, Project, UmapLayout, UmapResult } from '../../shared/contract'
import { UMAP_MIN_DIST, UMAP_NEIGHBORS, umapLayoutSchema } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import type { StoredPoint } from '../db/repositories/experiments-repo'
import { OrtMatMul } from '../engine/linalg/ort-matmul'
import { umapLayout } from '../engine/erasure/umap-layout'
import { writeFileAtomic } from '../util/atomic-write'
import type { ExperimentsService } from './experiments-service'
import type { JobContext } from './jobs/job-service'
import type { SettingsService } from './settings-service'

/** Bumped when the layout algorithm changes, so older cached layouts are recomputed. */
const CACHE_VERSION = 1
const CACHE_FILE = 'umap.json'

interface CachedLayout extends UmapLayout {
  readonly version: number
  /** sha256 of the points' kinds and vectors: stage 1 run again means a new layout. */
  readonly fingerprint: string
}

/**
 * The embedding-space map of an experiment: the stored stage-1 points with the reference e each
 * was measured from, and a UMAP layout computed on request (a job) and cached in the
 * experiment's folder (`experiments/<number>/umap.json`, written atomically, keyed by the
 * points, the seed and the UMAP settings).
 */
export class MapService {
  constructor(
    private readonly experiments: ExperimentsService,
    private readonly settings: SettingsService,
  ) {}

  get(project: Project, experimentId: string): EmbeddingMap {
    const { experiment } = this.experiments.get(project, experimentId)
    const stored = this.experiments.repo(project).pointVectors(experimentId)
    const { reference, references } = referencesOf(stored)
    const umap = stored.length === 0 ? null : this.cached(project, experiment.number, experiment.params.seed, stored)
    return {
      points: stored.map(({ kind, prompt, concept, distance, cosine, x, y }) => ({ kind, prompt, concept, distance, cosine, x, y })),
      reference,
      references,
      umap,
    }
  }

  /** The `umap` job: computes (or finds cached) the layout of an experiment's points. */
  async computeUmap(project: Project, experimentId: string, ctx: JobContext): Promise<UmapResult> {
    const { experiment } = this.experiments.get(project, experimentId)
    const stored = this.experiments.repo(project).pointVectors(experimentId)
    if (stored.length === 0) {
      throw new StudioError('conflict', `Experiment ${experiment.number} has no points yet: run stage 1 (start or resume the experiment) first.`)
    }
    const seed = experiment.params.seed
    const print = fingerprint(stored)
    const hit = this.cached(project, experiment.number, seed, stored, print)
    if (hit) {
      ctx.log('A layout for these points and this seed is cached; nothing to compute.')
      return { experimentId, points: stored.length, epochs: hit.epochs, cached: true, durationMs: hit.durationMs }
    }
    const d = stored[0]!.vector.length
    const vectors = new Float32Array(stored.length * d)
    stored.forEach((p, i) => vectors.set(p.vector, i * d))
    const t0 = performance.now()
    const mm = new OrtMatMul(this.settings.get().threads)
    try {
      ctx.onProgress({ phase: 'neighbors', step: 0, total: null })
      const out = await umapLayout(vectors, d, mm, {
        seed,
        nNeighbors: UMAP_NEIGHBORS,
        minDist: UMAP_MIN_DIST,
        signal: ctx.signal,
        onProgress: ctx.onProgress,
      })
      const durationMs = performance.now() - t0
      const layout: CachedLayout = {
        version: CACHE_VERSION,
        fingerprint: print,
        seed,
        nNeighbors: out.nNeighbors,
        minDist: UMAP_MIN_DIST,
        epochs: out.epochs,
        xy: Array.from(out.xy),
        durationMs,
        computedAt: Date.now(),
      }
      ctx.signal.throwIfAborted()
      const folder = path.join(project.dir, 'experiments', String(experiment.number))
      mkdirSync(folder, { recursive: true })
      await writeFileAtomic(path.join(folder, CACHE_FILE), JSON.stringify(layout))
      ctx.log(`UMAP layout of ${stored.length} points: ${out.epochs} epochs, ${out.nNeighbors} neighbours, seed ${seed}.`)
      return { experimentId, points: stored.length, epochs: out.epochs, cached: false, durationMs }
    } finally {
      await mm.dispose()
    }
  }

  private cached(project: Project, number: number, seed: number, points: readonly StoredPoint[], print = fingerprint(points)): UmapLayout | null {
    const file = path.join(project.dir, 'experiments', String(number), CACHE_FILE)
    let raw: unknown
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'))
    } catch {
      return null
    }
    const parsed = umapLayoutSchema.safeParse(raw)
    if (!parsed.success) return null
    const meta = raw as Partial<CachedLayout>
    const l = parsed.data
    const fresh =
      meta.version === CACHE_VERSION &&
      meta.fingerprint === print &&
      l.seed === seed &&
      l.nNeighbors === Math.min(UMAP_NEIGHBORS, points.length - 1) &&
      l.minDist === UMAP_MIN_DIST &&
      l.xy.length === points.length * 2
    return fresh ? l : null
  }
}

function fingerprint(points: readonly StoredPoint[]): string {
  const h = createHash('sha256')
  for (const p of points) {
    h.update(p.kind)
    h.update(new Uint8Array(p.vector.buffer, p.vector.byteOffset, p.vector.byteLength))
  }
  return h.digest('hex')
}

const norm = (v: Float32Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0))

function distance(a: Float32Array, b: Float32Array): number {
  let s = 0
  for (let k = 0; k < a.length; k++) s += (a[k]! - b[k]!) ** 2
  return Math.sqrt(s)
}

/**
 * Which erasure embedding e each point's stored distance was measured from. Stage 1 measures
 * neighbor, anchor-tolerance, beyond and anchor points from their own erasure prompt's e, and
 * preserved and probe points from their nearest concept's first e. Rather than rely on row
 * order, each point takes the e of its concept whose recomputed distance matches the stored one.
 */
export function referencesOf(points: readonly StoredPoint[]): { reference: number[]; references: MapReference[] } {
  const references: MapReference[] = []
  const byConcept = new Map<number, number[]>()
  points.forEach((p, i) => {
    if (p.kind !== 'erasure') return
    const list = byConcept.get(p.concept) ?? []
    list.push(references.length)
    byConcept.set(p.concept, list)
    references.push({ point: i, prompt: p.prompt, concept: p.concept, norm: norm(p.vector) })
  })
  const reference = points.map((p) => {
    const candidates = byConcept.get(p.concept) ?? []
    let best = -1
    let gap = Infinity
    for (const r of candidates) {
      const e = points[references[r]!.point]!.vector
      const g = Math.abs(distance(e, p.vector) - p.distance)
      if (g < gap) {
        gap = g
        best = r
      }
    }
    return best
  })
  return { reference, references }
}
