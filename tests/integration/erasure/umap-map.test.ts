import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Experiment, JobEvent, Project, StartErase, UmapResult } from '../../../src/shared/contract'
import { erasureParamsSchema, gallerySettingsSchema, umapJobTitle } from '../../../src/shared/contract'
import { createHandlers, dispatch } from '../../../src/main/host/dispatch'
import type { Services } from '../../../src/main/host/services'
import { createServices } from '../../../src/main/host/services'
import { OrtMatMul } from '../../../src/main/engine/linalg/ort-matmul'
import { exactKnn, umapLayout } from '../../../src/main/engine/erasure/umap-layout'
import { ExperimentsRepo } from '../../../src/main/db/repositories/experiments-repo'
import { expectJobInvariants } from '../../helpers/job-invariants'
import { testContext } from '../../helpers/in-process-host'
import { tempDir } from '../../helpers/temp-dir'
import { tinyModelFactory } from '../../helpers/tiny-models'

const t = tempDir('umap-map')
const events: JobEvent[] = []
const s: Services = createServices(
  { dataDir: path.join(t.dir, 'data'), defaultProjectsDir: path.join(t.dir, 'projects'), demoStepDelayMs: 0, runtime: 'node', version: 'test' },
  (e) => events.push(e),
)
const handlers = createHandlers(s)
const tiny = tinyModelFactory(path.join(t.dir, 'models'))
let project: Project
let exp: Experiment

/** The handlers' answer, unwrapped (what the renderer would receive). */
async function call(name: string, input: unknown): Promise<unknown> {
  const env = await dispatch(handlers, name, input)
  if (!env.ok) throw new Error(`${env.error.code}: ${env.error.message}`)
  return env.value
}

const cacheFile = (): string => path.join(project.dir, 'experiments', String(exp.number), 'umap.json')

beforeAll(async () => {
  const model = await tiny('sd1')
  project = await s.projects.create({ name: 'Map' })
  const modelId = (await s.models.register(project, { dir: model.dir }, testContext())).id
  // Two templates, so two erasure embeddings per concept; M = N = 150 gives 907 points.
  const input: StartErase = {
    kind: 'erase',
    projectId: project.id,
    modelId,
    spec: {
      preset: 'custom',
      concepts: [{ concept: 'van gogh', anchor: 'art', templates: ['a painting in the style of {}', 'a sketch by {}'] }],
      preserve: ['a red circle'],
      probes: ['starry night'],
    },
    params: erasureParamsSchema.parse({ m: 150, n: 150, seed: 7 }),
    gallery: gallerySettingsSchema.parse({ enabled: false }),
  }
  exp = await s.erase.run(project, input, testContext())
}, 240_000)

afterAll(async () => {
  await s.jobs.idle()
  await s.close()
  t.cleanup()
})

describe('embedding map and UMAP layout, on a real stage-1 run of the tiny model', () => {
  it('returns every point with the e its distance was measured from', async () => {
    const map = (await call('experiments.map', { projectId: project.id, experimentId: exp.id })) as Awaited<ReturnType<Services['map']['get']>>
    const stored = new ExperimentsRepo(s.store.db(project.dir), project.id).pointVectors(exp.id)
    expect(map.points).toHaveLength(stored.length)
    // Per template: e, e*, 150 neighbors, 150 anchor-tolerance, 150 beyond; 2 preserved, 1 probe.
    expect(map.points.length).toBe(2 * (2 + 3 * 150) + 3)
    expect(map.references.map((r) => r.prompt)).toEqual(['a painting in the style of van gogh', 'a sketch by van gogh'])
    expect(map.umap).toBeNull()
    // The recomputed distance to the chosen e is the stored one, for every point.
    map.points.forEach((p, i) => {
      const r = map.references[map.reference[i]!]!
      const e = stored[r.point]!.vector
      const v = stored[i]!.vector
      const d = Math.sqrt(e.reduce((sum, x, k) => sum + (x - v[k]!) ** 2, 0))
      expect(Math.abs(d - p.distance)).toBeLessThan(1e-3 * Math.max(1, p.distance))
    })
    // Neighbors of the second template are measured from the second e, not the first.
    const second = map.points.findIndex((p, i) => p.kind === 'neighbor' && p.prompt === 'a sketch by van gogh' && i > 0)
    expect(map.reference[second]).toBe(1)
    // Probes and preserved prompts: from their concept's first e (stage 1's convention).
    const probe = map.points.findIndex((p) => p.kind === 'probe')
    expect(map.reference[probe]).toBe(0)
    expect(map.references[0]!.norm).toBeCloseTo(Math.hypot(...stored[map.references[0]!.point]!.vector), 3)
  })

  it('cancels mid-layout, leaving no cached layout', async () => {
    const controller = new AbortController()
    const ctx = testContext(controller)
    const onProgress = ctx.onProgress
    const run = s.map.computeUmap(project, exp.id, {
      ...ctx,
      onProgress: (p) => {
        onProgress(p)
        if (p.phase === 'layout' && p.step > 0) controller.abort()
      },
    })
    await expect(run).rejects.toThrow()
    expect(ctx.progress.some((p) => p.phase === 'neighbors')).toBe(true)
    const layout = ctx.progress.filter((p) => p.phase === 'layout')
    expect(layout).toHaveLength(1)
    expect(layout[0]!.step).toBeLessThan(layout[0]!.total!)
    expect(existsSync(cacheFile())).toBe(false)
    expect(s.map.get(project, exp.id).umap).toBeNull()
  })

  it('computes a layout seeded with the experiment seed, caches it, and recomputes it identically', async () => {
    const first = await s.map.computeUmap(project, exp.id, testContext())
    expect(first.cached).toBe(false)
    expect(first.points).toBe(907)
    const a = s.map.get(project, exp.id).umap
    expect(a).not.toBeNull()
    expect(a!.seed).toBe(7)
    expect(a!.xy).toHaveLength(2 * first.points)
    expect(a!.xy.every(Number.isFinite)).toBe(true)
    // Not degenerate: the layout spreads out.
    const xs = a!.xy.filter((_, i) => i % 2 === 0)
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(1)

    const again = await s.map.computeUmap(project, exp.id, testContext())
    expect(again.cached).toBe(true)

    rmSync(cacheFile())
    const redo = await s.map.computeUmap(project, exp.id, testContext())
    expect(redo.cached).toBe(false)
    expect(s.map.get(project, exp.id).umap!.xy).toEqual(a!.xy)
  })

  it('runs as a job with a titled, well-formed event stream, and cancels as a job', async () => {
    rmSync(cacheFile(), { force: true })
    events.length = 0
    const started = (await call('jobs.start', { kind: 'umap', projectId: project.id, experimentId: exp.id })) as { id: string; title: string }
    expect(started.title).toBe(umapJobTitle(exp.number))
    await s.jobs.idle()
    const done = s.jobs.get(started.id)
    expect(done.state).toBe('succeeded')
    expect((done.result as UmapResult).cached).toBe(false)
    expectJobInvariants(events.filter((e) => e.jobId === started.id))

    rmSync(cacheFile())
    events.length = 0
    const second = (await call('jobs.start', { kind: 'umap', projectId: project.id, experimentId: exp.id })) as { id: string }
    await new Promise<void>((resolve) => {
      const poll = (): void => {
        if (events.some((e) => e.jobId === second.id && e.type === 'progress' && e.progress.phase === 'layout')) resolve()
        else setTimeout(poll, 5)
      }
      poll()
    })
    await call('jobs.cancel', { jobId: second.id })
    await s.jobs.idle()
    expect(s.jobs.get(second.id).state).toBe('cancelled')
    expect(s.jobs.get(second.id).result).toBeNull()
    expectJobInvariants(events.filter((e) => e.jobId === second.id))
    expect(existsSync(cacheFile())).toBe(false)
  })

  it('refuses an experiment without points, naming the fix', async () => {
    const repo = new ExperimentsRepo(s.store.db(project.dir), project.id)
    const empty = repo.create({ id: 'no-points', modelId: exp.modelId!, name: 'empty', spec: exp.spec, params: exp.params, gallery: exp.gallery, jobId: null, createdAt: Date.now() })
    await expect(s.map.computeUmap(project, empty.id, testContext())).rejects.toThrow(/no points yet: run stage 1/)
    expect(s.map.get(project, empty.id)).toEqual({ points: [], reference: [], references: [], umap: null })
  })
})

describe('umap-layout engine', () => {
  it('finds the exact nearest neighbours', async () => {
    const mm = new OrtMatMul()
    try {
      // Points on a line: 0, 1, 3, 6, 10 (d = 2, second coordinate 0).
      const at = [0, 1, 3, 6, 10]
      const v = Float32Array.from(at.flatMap((x) => [x, 0]))
      const knn = await exactKnn(v, 2, 3, mm)
      expect(knn.indices[2]).toEqual([2, 1, 0])
      expect(knn.distances[2]).toEqual([0, 2, 3])
      expect(knn.indices[4]).toEqual([4, 3, 2])
    } finally {
      await mm.dispose()
    }
  })

  it('is deterministic for a seed, differs across seeds, and refuses fewer than 3 points', async () => {
    const mm = new OrtMatMul()
    try {
      let x = 1
      const rand = (): number => ((x = (x * 16807) % 2147483647) / 2147483647) - 0.5
      const v = Float32Array.from({ length: 120 * 8 }, rand)
      const run = (seed: number): Promise<Float64Array> => umapLayout(v, 8, mm, { seed, nNeighbors: 15, minDist: 0.1 }).then((o) => o.xy)
      const a = await run(3)
      expect(await run(3)).toEqual(a)
      expect(await run(4)).not.toEqual(a)
      await expect(umapLayout(v.subarray(0, 16), 8, mm, { seed: 1, nNeighbors: 15, minDist: 0.1 })).rejects.toThrow(/at least 3 points/)
    } finally {
      await mm.dispose()
    }
  })
})
