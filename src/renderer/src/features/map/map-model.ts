import type {
  EmbeddingMap,
  ErasureParams,
  JobSnapshot,
  PointKind,
} from '../../../../shared/contract'
import { umapJobTitle } from '../../../../shared/contract'
import type { Shape } from './map-shapes'

/**
 * Pure view logic of the embedding-space map: one series per point kind, layer toggles, the
 * D1/D2/S1/S2 bounds, probe inside/outside, rings, domains and texts. Distances and cosines
 * are exact (stage 1 measured them); the 2-D projections are approximations.
 */

export type Projection = 'pca' | 'umap'
/** Which coordinates a panel plots: a projection, or distance against cosine. */
export type Coords = Projection | 'dc'

export interface KindStyle {
  readonly label: string
  /** One point of this kind (the tooltip's "Kind"). */
  readonly one: string
  readonly shape: Shape
  /** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies, both themes. */
  readonly color: string
  /** Marker radius in pixels. */
  readonly size: number
  readonly help: string
}

export const kindStyles: Readonly<Record<PointKind, KindStyle>> = {
  erasure: {
    label: 'Erasure e',
    one: 'Erasure embedding e',
    shape: 'star',
    color: '#D55E00',
    size: 6,
    help: 'The erasure prompt’s embedding e.',
  },
  anchor: {
    label: 'Anchor e*',
    one: 'Anchor embedding e*',
    shape: 'diamond',
    color: '#009E73',
    size: 5.5,
    help: 'The anchor prompt’s embedding e*, where e is mapped.',
  },
  neighbor: {
    label: 'Neighbors',
    one: 'Neighbor',
    shape: 'circle',
    color: '#E69F00',
    size: 2.5,
    help: 'Mined neighbor points: d < D1, S2 ≤ cos ≤ S1; mapped to the anchor.',
  },
  'anchor-tolerance': {
    label: 'Anchor tolerance',
    one: 'Anchor-tolerance target',
    shape: 'triangle',
    color: '#56B4E9',
    size: 2.6,
    help: 'Anchor targets e* + η′ with ‖η′‖ < D1′.',
  },
  beyond: {
    label: 'Beyond',
    one: 'Beyond point',
    shape: 'square',
    color: '#8F8F8F',
    size: 2.3,
    help: 'Beyond points: D1 ≤ d < D2, cos < S2; kept where they are.',
  },
  preserved: {
    label: 'Preserved',
    one: 'Preserved concept',
    shape: 'plus',
    color: '#0072B2',
    size: 5,
    help: 'Preserved concepts (kept where they are).',
  },
  probe: {
    label: 'Probes',
    one: 'Probe',
    shape: 'triangle-down',
    color: '#CC79A7',
    size: 5.5,
    help: 'Probe prompts (associated concepts), not used by the edit.',
  },
}

/** Legend order: what was erased, where it went, what was sampled, what was kept, what was asked. */
export const legendKinds: readonly PointKind[] = [
  'erasure',
  'anchor',
  'neighbor',
  'anchor-tolerance',
  'beyond',
  'preserved',
  'probe',
]
/** Draw order, bottom to top: the many sampled points under the few named prompts. */
export const drawKinds: readonly PointKind[] = [
  'beyond',
  'anchor-tolerance',
  'neighbor',
  'preserved',
  'anchor',
  'probe',
  'erasure',
]

export interface MapBounds {
  /** relative: distances are shown as fractions of ‖e‖, the unit D1, D1′, D2 are given in. */
  readonly unit: 'relative' | 'absolute'
  readonly d1: number
  readonly d1Anchor: number
  readonly d2: number
  readonly s1: number
  readonly s2: number
}

export const boundsOf = (
  p: Pick<ErasureParams, 'distanceUnit' | 'd1' | 'd1Anchor' | 'd2' | 's1' | 's2'>,
): MapBounds => ({
  unit: p.distanceUnit,
  d1: p.d1,
  d1Anchor: p.d1Anchor,
  d2: p.d2,
  s1: p.s1,
  s2: p.s2,
})

export interface Region {
  readonly inside: boolean
  readonly text: string
}

/**
 * Whether a point falls inside the mined neighborhood of its e: closer than D1 with cos ≥ S2
 * (the region neighbors are drawn from; a probe even closer than S1 allows is inside too).
 */
export function regionOf(scaledDistance: number, cosine: number, b: MapBounds): Region {
  const d = b.unit === 'relative' ? 'd/‖e‖' : 'd'
  if (scaledDistance >= b.d1)
    return {
      inside: false,
      text: `Outside the mined neighborhood: ${d} = ${fmt(scaledDistance)} ≥ D1 = ${b.d1}`,
    }
  if (cosine < b.s2)
    return {
      inside: false,
      text: `Outside the mined neighborhood: cos = ${fmt(cosine)} < S2 = ${b.s2}`,
    }
  return {
    inside: true,
    text: `Inside the mined neighborhood: ${d} < D1 = ${b.d1} and cos ≥ S2 = ${b.s2}`,
  }
}

export interface MapPoint {
  readonly index: number
  readonly kind: PointKind
  readonly prompt: string
  /** Distance to e in embedding units, as stored. */
  readonly distance: number
  readonly cosine: number
  /** Distance in the unit of D1 and D2 (a fraction of ‖e‖ when relative). */
  readonly scaled: number
  /** The erasure prompt this point was measured from. */
  readonly reference: string | null
  readonly pca: { readonly x: number; readonly y: number }
  readonly umap: { readonly x: number; readonly y: number } | null
  readonly region: Region
}

export interface Ring {
  readonly prompt: string
  readonly cx: number
  readonly cy: number
  /** D1 and D2 in embedding units. */
  readonly r1: number
  readonly r2: number
}

export interface MapView {
  readonly points: readonly MapPoint[]
  readonly bounds: MapBounds
  readonly counts: Readonly<Record<PointKind, number>>
  /** D1 and D2 around each e, in PCA coordinates (an orthogonal projection never lengthens a distance). */
  readonly rings: readonly Ring[]
  readonly hasUmap: boolean
}

const zeroCounts = (): Record<PointKind, number> => ({
  erasure: 0,
  anchor: 0,
  neighbor: 0,
  'anchor-tolerance': 0,
  beyond: 0,
  preserved: 0,
  probe: 0,
})

export function buildMapView(map: EmbeddingMap, bounds: MapBounds): MapView {
  const counts = zeroCounts()
  const umap = map.umap && map.umap.xy.length === map.points.length * 2 ? map.umap.xy : null
  const points = map.points.map((p, index): MapPoint => {
    counts[p.kind]++
    const ref = map.references[map.reference[index] ?? -1]
    const scale = bounds.unit === 'relative' && ref && ref.norm > 0 ? ref.norm : 1
    const scaled = p.distance / scale
    return {
      index,
      kind: p.kind,
      prompt: p.prompt,
      distance: p.distance,
      cosine: p.cosine,
      scaled,
      reference: ref?.prompt ?? null,
      pca: { x: p.x, y: p.y },
      umap: umap ? { x: umap[index * 2]!, y: umap[index * 2 + 1]! } : null,
      region: regionOf(scaled, p.cosine, bounds),
    }
  })
  const rings = map.references.flatMap((r): Ring[] => {
    const e = map.points[r.point]
    if (!e) return []
    const unit = bounds.unit === 'relative' ? r.norm : 1
    return [{ prompt: r.prompt, cx: e.x, cy: e.y, r1: bounds.d1 * unit, r2: bounds.d2 * unit }]
  })
  return { points, bounds, counts, rings, hasUmap: umap !== null }
}

export function coordsOf(p: MapPoint, coords: Coords): { x: number; y: number } | null {
  if (coords === 'dc') return { x: p.scaled, y: p.cosine }
  return coords === 'pca' ? p.pca : p.umap
}

export interface MapSeries {
  readonly id: PointKind
  readonly label: string
  readonly color: string
  readonly markerSize: number
  /** `id` is the point's index in the view. */
  readonly data: readonly { x: number; y: number; id: number }[]
}

/** One series per visible kind that has points, in draw order. */
export function mapSeries(
  view: MapView,
  coords: Coords,
  hidden: ReadonlySet<PointKind>,
): MapSeries[] {
  const byKind = new Map<PointKind, { x: number; y: number; id: number }[]>()
  for (const p of view.points) {
    if (hidden.has(p.kind)) continue
    const c = coordsOf(p, coords)
    if (!c) continue
    const list = byKind.get(p.kind) ?? []
    list.push({ x: c.x, y: c.y, id: p.index })
    byKind.set(p.kind, list)
  }
  return drawKinds.flatMap((kind) => {
    const data = byKind.get(kind)
    if (!data) return []
    const s = kindStyles[kind]
    return [{ id: kind, label: s.label, color: s.color, markerSize: s.size, data }]
  })
}

export const toggleKind = (hidden: ReadonlySet<PointKind>, kind: PointKind): Set<PointKind> => {
  const next = new Set(hidden)
  if (next.has(kind)) next.delete(kind)
  else next.add(kind)
  return next
}

export interface Domain {
  readonly x: readonly [number, number]
  readonly y: readonly [number, number]
}

/**
 * The projection's axes: every point (hidden ones too, so toggling a layer never rescales) and
 * every ring, with equal spans on both axes, so a square plot keeps distances undistorted.
 */
export function projectionDomain(
  view: MapView,
  projection: Projection,
  withRings: boolean,
): Domain {
  let x0 = Infinity
  let x1 = -Infinity
  let y0 = Infinity
  let y1 = -Infinity
  const add = (x: number, y: number, r = 0): void => {
    x0 = Math.min(x0, x - r)
    x1 = Math.max(x1, x + r)
    y0 = Math.min(y0, y - r)
    y1 = Math.max(y1, y + r)
  }
  for (const p of view.points) {
    const c = coordsOf(p, projection)
    if (c) add(c.x, c.y)
  }
  if (projection === 'pca' && withRings) for (const r of view.rings) add(r.cx, r.cy, r.r2)
  if (!Number.isFinite(x0)) return { x: [-1, 1], y: [-1, 1] }
  const span = Math.max(x1 - x0, y1 - y0, 1e-9) * 1.08
  const cx = (x0 + x1) / 2
  const cy = (y0 + y1) / 2
  return { x: [cx - span / 2, cx + span / 2], y: [cy - span / 2, cy + span / 2] }
}

/** Distance against cosine: all points and the four bound lines, with a margin. */
export function dcDomain(view: MapView): Domain {
  const b = view.bounds
  let dMax = b.d2
  let cMin = Math.min(b.s2, b.s1)
  for (const p of view.points) {
    dMax = Math.max(dMax, p.scaled)
    cMin = Math.min(cMin, p.cosine)
  }
  const cSpan = Math.max(1 - cMin, 1e-6)
  return { x: [0, dMax * 1.06], y: [cMin - cSpan * 0.06, 1 + cSpan * 0.04] }
}

export interface BoundLine {
  readonly axis: 'x' | 'y'
  readonly value: number
  readonly label: string
}

export function boundLines(b: MapBounds): BoundLine[] {
  return [
    { axis: 'x', value: b.d1, label: `D1 = ${b.d1}` },
    { axis: 'x', value: b.d2, label: `D2 = ${b.d2}` },
    { axis: 'y', value: b.s1, label: `S1 = ${b.s1}` },
    { axis: 'y', value: b.s2, label: `S2 = ${b.s2}` },
  ]
}

export const distanceAxisLabel = (b: MapBounds): string =>
  b.unit === 'relative' ? 'Distance to e (fraction of ‖e‖)' : 'Distance to e'

/** Three significant digits, no exponent for ordinary values. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  const a = Math.abs(v)
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2)
  return Number(v.toPrecision(3)).toString()
}

/** "5.21 (0.412 ‖e‖)" in relative units, "5.21" otherwise. */
export const distanceText = (p: MapPoint, b: MapBounds): string =>
  b.unit === 'relative' ? `${fmt(p.distance)} (${fmt(p.scaled)} ‖e‖)` : fmt(p.distance)

export interface PointDetails {
  readonly title: string
  readonly rows: readonly (readonly [string, string])[]
  /** Probes only: inside or outside the mined neighborhood. */
  readonly region: Region | null
}

export function pointDetails(p: MapPoint, b: MapBounds): PointDetails {
  const rows: [string, string][] = [
    ['Kind', kindStyles[p.kind].one],
    ['Distance', distanceText(p, b)],
    ['Cosine', fmt(p.cosine)],
  ]
  if (p.reference !== null && p.reference !== p.prompt) rows.push(['Measured from', p.reference])
  return { title: p.prompt || '(empty prompt)', rows, region: p.kind === 'probe' ? p.region : null }
}

const plural = (n: number, one: string): string => `${n.toLocaleString('en-US')} ${one}`

/** What the charts show, in words (their accessible description). */
export function mapDescription(view: MapView): string {
  const parts = legendKinds
    .filter((k) => view.counts[k] > 0)
    .map((k) => plural(view.counts[k], kindStyles[k].label.toLowerCase()))
  const probes = view.points.filter((p) => p.kind === 'probe')
  const inside = probes.filter((p) => p.region.inside).length
  const probeText =
    probes.length > 0
      ? ` ${inside} of ${probes.length} probes fall inside the mined neighborhood.`
      : ''
  return `${plural(view.points.length, 'points')}: ${parts.join(', ')}.${probeText}`
}

export const projectionLabels: Readonly<Record<Projection, string>> = { pca: 'PCA', umap: 'UMAP' }

/** `experiment-3-map-pca.svg` */
export const exportFileName = (
  experimentNumber: number,
  projection: Projection,
  ext: 'svg' | 'png',
): string => `experiment-${experimentNumber}-map-${projection}.${ext}`

/** The newest UMAP job of this experiment (the host titles them by experiment number). */
export function umapJobOf(
  jobs: readonly JobSnapshot[],
  projectId: string,
  experimentNumber: number,
): JobSnapshot | null {
  const title = umapJobTitle(experimentNumber)
  let best: JobSnapshot | null = null
  for (const j of jobs) {
    if (j.kind !== 'umap' || j.projectId !== projectId || j.title !== title) continue
    if (!best || j.createdAt > best.createdAt) best = j
  }
  return best
}

const umapPhases: Readonly<Record<string, string>> = {
  neighbors: 'Finding nearest neighbours',
  layout: 'Optimising the layout',
}

/** "Optimising the layout · 120 / 500 epochs" */
export function umapProgressText(job: JobSnapshot): string {
  if (job.state === 'queued') return 'Waiting for the running job to finish…'
  const p = job.progress
  if (!p) return 'Starting…'
  const phase = umapPhases[p.phase] ?? p.phase
  if (p.total === null) return `${phase}…`
  return p.phase === 'layout'
    ? `${phase} · ${p.step} / ${p.total} epochs`
    : `${phase} · ${p.step} / ${p.total}`
}

/** 0–100 across both phases (neighbours are quick: a tenth of the bar), or null. */
export function umapPercent(job: JobSnapshot): number | null {
  const p = job.progress
  if (!p || p.total === null || p.total === 0) return null
  const share = p.step / p.total
  return Math.round(p.phase === 'layout' ? 10 + 90 * share : 10 * share)
}
