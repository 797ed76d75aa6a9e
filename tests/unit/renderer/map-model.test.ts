import { describe, expect, it } from 'vitest'
import type { JobSnapshot } from '../../../src/shared/contract'
import { erasureParamsSchema, umapJobTitle } from '../../../src/shared/contract'
import type { MapBounds } from '../../../src/renderer/src/features/map/map-model'
import {
  boundLines,
  boundsOf,
  buildMapView,
  dcDomain,
  distanceText,
  drawKinds,
  exportFileName,
  fmt,
  mapDescription,
  mapSeries,
  pointDetails,
  projectionDomain,
  regionOf,
  toggleKind,
  umapJobOf,
  umapPercent,
  umapProgressText,
} from '../../../src/renderer/src/features/map/map-model'
import type { Shape } from '../../../src/renderer/src/features/map/map-shapes'
import { shapePath } from '../../../src/renderer/src/features/map/map-shapes'
import { syntheticMap, syntheticMapOf } from './helpers/synthetic-map'

const relative: MapBounds = boundsOf(erasureParamsSchema.parse({}))
const absolute: MapBounds = { ...relative, unit: 'absolute', d1: 5, d2: 10 }

describe('map view', () => {
  it('counts kinds, scales distances by ‖e‖ in relative units and keeps them in absolute', () => {
    const map = syntheticMap({ prompts: 2, m: 3, n: 4, preserved: 1, probes: 2, norm: 20 })
    const view = buildMapView(map, relative)
    expect(view.counts).toEqual({
      erasure: 2,
      anchor: 2,
      neighbor: 6,
      'anchor-tolerance': 6,
      beyond: 8,
      preserved: 1,
      probe: 2,
    })
    const n = view.points.find((p) => p.kind === 'neighbor')!
    expect(n.scaled).toBeCloseTo(n.distance / 20, 12)
    expect(n.reference).toBe('a painting in the style of van gogh 1')
    expect(buildMapView(map, absolute).points[n.index]!.scaled).toBe(n.distance)
    expect(view.hasUmap).toBe(false)
    expect(view.points.every((p) => p.umap === null)).toBe(true)
  })

  it('draws D1 and D2 rings around each e in embedding units', () => {
    const map = syntheticMap({ prompts: 2, m: 1, n: 1, norm: 20 })
    const view = buildMapView(map, relative)
    expect(view.rings).toEqual([
      { prompt: map.references[0]!.prompt, cx: 0, cy: 0, r1: 10, r2: 20 },
      { prompt: map.references[1]!.prompt, cx: 3, cy: 0, r1: 10, r2: 20 },
    ])
    expect(buildMapView(map, absolute).rings[0]).toMatchObject({ r1: 5, r2: 10 })
  })

  it('uses a UMAP layout only when it covers every point', () => {
    const map = syntheticMap({ prompts: 1, m: 2, n: 2, umap: true })
    const view = buildMapView(map, relative)
    expect(view.hasUmap).toBe(true)
    expect(view.points[1]!.umap).toEqual({ x: map.umap!.xy[2], y: map.umap!.xy[3] })
    const stale = { ...map, umap: { ...map.umap!, xy: map.umap!.xy.slice(2) } }
    expect(buildMapView(stale, relative).hasUmap).toBe(false)
  })
})

describe('probe inside or outside the mined neighborhood', () => {
  it('is inside when closer than D1 with cos ≥ S2, naming the bound otherwise', () => {
    expect(regionOf(0.2, 0.9, relative)).toEqual({
      inside: true,
      text: 'Inside the mined neighborhood: d/‖e‖ < D1 = 0.5 and cos ≥ S2 = 0.8',
    })
    expect(regionOf(0.5, 0.9, relative).inside).toBe(false)
    expect(regionOf(0.5, 0.9, relative).text).toBe(
      'Outside the mined neighborhood: d/‖e‖ = 0.5 ≥ D1 = 0.5',
    )
    expect(regionOf(0.2, 0.8, relative).inside).toBe(true)
    expect(regionOf(0.2, 0.79, relative).text).toBe(
      'Outside the mined neighborhood: cos = 0.79 < S2 = 0.8',
    )
    // Closer than S1 allows for neighbors is still inside.
    expect(regionOf(0.01, 0.999, relative).inside).toBe(true)
    expect(regionOf(4, 0.9, absolute).text).toMatch(/^Inside .*: d < D1 = 5/)
  })

  it('shows on probes only, with prompt, kind, distance and cosine on every point', () => {
    const view = buildMapView(
      syntheticMap({ prompts: 1, m: 1, n: 1, probes: 2, norm: 10 }),
      relative,
    )
    const [inside, outside] = view.points.filter((p) => p.kind === 'probe')
    const details = pointDetails(inside!, relative)
    expect(details.title).toBe('probe 1')
    expect(details.rows).toEqual([
      ['Kind', 'Probe'],
      ['Distance', '2 (0.2 ‖e‖)'],
      ['Cosine', '0.95'],
      ['Measured from', 'a painting in the style of van gogh 1'],
    ])
    expect(details.region?.inside).toBe(true)
    expect(details.region?.text).toMatch(/^Inside the mined neighborhood/)
    expect(pointDetails(outside!, relative).region?.inside).toBe(false)
    const neighbor = view.points.find((p) => p.kind === 'neighbor')!
    const own = pointDetails(neighbor, relative)
    expect(own.region).toBeNull()
    // A neighbor carries its own erasure prompt: no "Measured from" row.
    expect(own.rows.map(([k]) => k)).toEqual(['Kind', 'Distance', 'Cosine'])
    expect(distanceText(neighbor, absolute)).toBe(fmt(neighbor.distance))
  })
})

describe('series and toggles', () => {
  const view = buildMapView(
    syntheticMap({ prompts: 2, m: 3, n: 2, preserved: 1, probes: 1, umap: true }),
    relative,
  )

  it('gives one series per kind in draw order, each point keeping its index', () => {
    const series = mapSeries(view, 'pca', new Set())
    expect(series.map((s) => s.id)).toEqual(drawKinds)
    const neighbors = series.find((s) => s.id === 'neighbor')!
    expect(neighbors.data).toHaveLength(6)
    for (const d of neighbors.data)
      expect(view.points[d.id]).toMatchObject({ kind: 'neighbor', pca: { x: d.x, y: d.y } })
  })

  it('plots distance against cosine in the dc panel, and UMAP coordinates when asked', () => {
    const dc = mapSeries(view, 'dc', new Set()).find((s) => s.id === 'beyond')!
    for (const d of dc.data)
      expect([d.x, d.y]).toEqual([view.points[d.id]!.scaled, view.points[d.id]!.cosine])
    const umap = mapSeries(view, 'umap', new Set()).find((s) => s.id === 'erasure')!
    expect(umap.data[0]).toMatchObject(view.points[umap.data[0]!.id]!.umap!)
    const noUmap = buildMapView(syntheticMap({ prompts: 1, m: 1, n: 1 }), relative)
    expect(mapSeries(noUmap, 'umap', new Set())).toEqual([])
  })

  it('hides toggled kinds and toggles back without mutating', () => {
    const hidden = toggleKind(new Set(), 'neighbor')
    expect(mapSeries(view, 'pca', hidden).map((s) => s.id)).not.toContain('neighbor')
    const again = toggleKind(hidden, 'neighbor')
    expect(hidden.has('neighbor')).toBe(true)
    expect(again.size).toBe(0)
  })
})

describe('domains and bounds', () => {
  it('gives the projection equal spans covering every point and, with rings, every ring', () => {
    const view = buildMapView(syntheticMap({ prompts: 3, m: 5, n: 5, norm: 10 }), relative)
    const d = projectionDomain(view, 'pca', false)
    expect(d.x[1] - d.x[0]).toBeCloseTo(d.y[1] - d.y[0], 9)
    for (const p of view.points) {
      expect(p.pca.x).toBeGreaterThanOrEqual(d.x[0])
      expect(p.pca.x).toBeLessThanOrEqual(d.x[1])
      expect(p.pca.y).toBeGreaterThanOrEqual(d.y[0])
      expect(p.pca.y).toBeLessThanOrEqual(d.y[1])
    }
    const withRings = projectionDomain(view, 'pca', true)
    const r = view.rings[2]!
    expect(withRings.x[1]).toBeGreaterThanOrEqual(r.cx + r.r2)
    expect(withRings.y[0]).toBeLessThanOrEqual(r.cy - r.r2)
    expect(projectionDomain(view, 'umap', true)).toEqual({ x: [-1, 1], y: [-1, 1] })
  })

  it('keeps the bound lines inside the distance–cosine axes', () => {
    const view = buildMapView(syntheticMap({ prompts: 1, m: 2, n: 0 }), {
      ...relative,
      d2: 3,
      s2: -0.5,
    })
    const d = dcDomain(view)
    expect(d.x[0]).toBe(0)
    expect(d.x[1]).toBeGreaterThan(3)
    expect(d.y[0]).toBeLessThan(-0.5)
    expect(d.y[1]).toBeGreaterThan(1)
    expect(boundLines(relative)).toEqual([
      { axis: 'x', value: 0.5, label: 'D1 = 0.5' },
      { axis: 'x', value: 1, label: 'D2 = 1' },
      { axis: 'y', value: 0.99, label: 'S1 = 0.99' },
      { axis: 'y', value: 0.8, label: 'S2 = 0.8' },
    ])
  })
})

describe('texts', () => {
  it('formats numbers to three significant digits', () => {
    expect([fmt(0), fmt(1), fmt(0.123456), fmt(12345.6), fmt(0.0001234), fmt(123456)]).toEqual([
      '0',
      '1',
      '0.123',
      '12300',
      '1.23e-4',
      '1.23e+5',
    ])
  })

  it('describes the map in words, with how many probes fall inside', () => {
    const view = buildMapView(syntheticMap({ prompts: 1, m: 2, n: 1, probes: 3 }), relative)
    expect(mapDescription(view)).toBe(
      '10 points: 1 erasure e, 1 anchor e*, 2 neighbors, 2 anchor tolerance, 1 beyond, 3 probes. 2 of 3 probes fall inside the mined neighborhood.',
    )
    expect(exportFileName(3, 'umap', 'png')).toBe('experiment-3-map-umap.png')
  })

  it('mixes about 5,000 points like a real run', () => {
    const view = buildMapView(syntheticMapOf(5000), relative)
    expect(view.points.length).toBeGreaterThan(4900)
    expect(view.points.length).toBeLessThanOrEqual(5000)
    expect(view.counts.probe).toBe(10)
  })
})

describe('UMAP job', () => {
  const job = (over: Partial<JobSnapshot>): JobSnapshot => ({
    id: 'j',
    kind: 'umap',
    projectId: 'p',
    title: umapJobTitle(3),
    state: 'running',
    progress: null,
    result: null,
    error: null,
    lastSeq: 1,
    createdAt: 1,
    startedAt: 1,
    endedAt: null,
    ...over,
  })

  it('finds the newest layout job of this experiment only', () => {
    const jobs = [
      job({ id: 'old', createdAt: 1 }),
      job({ id: 'new', createdAt: 5 }),
      job({ id: 'other-exp', createdAt: 9, title: umapJobTitle(4) }),
      job({ id: 'other-kind', createdAt: 9, kind: 'export' }),
      job({ id: 'other-project', createdAt: 9, projectId: 'q' }),
    ]
    expect(umapJobOf(jobs, 'p', 3)?.id).toBe('new')
    expect(umapJobOf(jobs, 'p', 7)).toBeNull()
  })

  it('reports both phases on one bar', () => {
    expect(umapProgressText(job({ state: 'queued' }))).toBe(
      'Waiting for the running job to finish…',
    )
    const layout = job({ progress: { phase: 'layout', step: 250, total: 500, elapsedMs: 1 } })
    expect(umapProgressText(layout)).toBe('Optimising the layout · 250 / 500 epochs')
    expect(umapPercent(layout)).toBe(55)
    expect(
      umapPercent(job({ progress: { phase: 'neighbors', step: 1, total: 2, elapsedMs: 1 } })),
    ).toBe(5)
    expect(
      umapPercent(job({ progress: { phase: 'neighbors', step: 0, total: null, elapsedMs: 1 } })),
    ).toBeNull()
  })
})

describe('marker shapes', () => {
  const shapes: Shape[] = [
    'circle',
    'square',
    'diamond',
    'triangle',
    'triangle-down',
    'star',
    'plus',
  ]

  it.each(shapes)('%s is a closed path around its centre', (shape) => {
    const d = shapePath(shape, 100, 50, 4)
    expect(d.startsWith('M')).toBe(true)
    expect(d.endsWith('Z')).toBe(true)
    // Absolute coordinates (M, L) stay within 2r of the centre.
    for (const m of d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)) {
      expect(Math.abs(Number(m[1]) - 100)).toBeLessThanOrEqual(8)
      expect(Math.abs(Number(m[2]) - 50)).toBeLessThanOrEqual(8)
    }
  })

  it('differs per shape', () => {
    expect(new Set(shapes.map((s) => shapePath(s, 0, 0, 4))).size).toBe(shapes.length)
  })
})
