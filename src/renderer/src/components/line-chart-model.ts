/**
 * Pure geometry of the line chart: domains, linear and log scales, tick values and labels, and
 * SVG path data. No DOM and no React, so every rule is unit-tested.
 */
export type Point = readonly [x: number, y: number]

export interface Extent {
  readonly min: number
  readonly max: number
}

export type Scale = (value: number) => number

/** Smallest and largest finite value (only positive ones for a log axis); null if none. */
export function extentOf(values: Iterable<number>, positiveOnly = false): Extent | null {
  let min = Infinity
  let max = -Infinity
  for (const v of values) {
    if (!Number.isFinite(v) || (positiveOnly && v <= 0)) continue
    if (v < min) min = v
    if (v > max) max = v
  }
  return min <= max ? { min, max } : null
}

/** Widens an empty or zero-width extent so a scale over it is defined. */
export function padExtent(e: Extent, log: boolean): Extent {
  if (e.max > e.min) return e
  if (log) return { min: e.min / 2, max: e.max * 2 }
  const d = e.min === 0 ? 1 : Math.abs(e.min) / 2
  return { min: e.min - d, max: e.max + d }
}

/** Maps `domain` onto `range` linearly (a reversed range, as for a y axis, is fine). */
export function linearScale(domain: Extent, range: Extent): Scale {
  const span = domain.max - domain.min || 1
  return (v) => range.min + ((v - domain.min) / span) * (range.max - range.min)
}

/** Maps a positive `domain` onto `range` by log10; values ≤ 0 map to NaN. */
export function logScale(domain: Extent, range: Extent): Scale {
  const lo = Math.log10(domain.min)
  const span = Math.log10(domain.max) - lo || 1
  return (v) => (v > 0 ? range.min + ((Math.log10(v) - lo) / span) * (range.max - range.min) : NaN)
}

/** 1, 2 or 5 times a power of ten: the step giving about `count` ticks over the extent. */
export function niceStep(e: Extent, count: number): number {
  const raw = (e.max - e.min) / Math.max(1, count)
  if (!(raw > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(raw))
  const f = raw / power
  return (f >= 5 ? 10 : f >= 2 ? 5 : f >= 1 ? 2 : 1) * power
}

/** Round values inside the extent, `step` apart ("0, 5, 10, 15, 20"). */
export function linearTicks(e: Extent, count = 5): number[] {
  const step = niceStep(e, count)
  const first = Math.ceil(e.min / step - 1e-9)
  const ticks: number[] = []
  for (let i = first; i * step <= e.max + step * 1e-9; i++) ticks.push(cleanFloat(i * step))
  return ticks
}

/** Powers of ten inside the extent; 2 and 5 times them too when that gives too few ticks. */
export function logTicks(e: Extent, minTicks = 3): number[] {
  const from = Math.floor(Math.log10(e.min))
  const to = Math.ceil(Math.log10(e.max))
  const inside = (v: number): boolean => v >= e.min * (1 - 1e-9) && v <= e.max * (1 + 1e-9)
  for (const factors of [[1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
    const ticks: number[] = []
    for (let p = from; p <= to; p++) {
      for (const f of factors) {
        const v = cleanFloat(f * 10 ** p)
        if (inside(v)) ticks.push(v)
      }
    }
    if (ticks.length >= minTicks) return thin(ticks, 8)
  }
  return linearTicks(e, 3).filter((v) => v > 0)
}

/** Every k-th value, so at most `max` remain. */
function thin(values: readonly number[], max: number): number[] {
  const k = Math.ceil(values.length / max)
  return values.filter((_, i) => i % k === 0)
}

/** Drops binary noise: 0.30000000000000004 → 0.3. */
const cleanFloat = (v: number): number => Number(v.toPrecision(12))

/** A tick label: "0.05", "1.2", "250", "1e-4", "2e+5". */
export function formatTick(v: number): string {
  if (v === 0) return '0'
  const a = Math.abs(v)
  if (a < 1e-3 || a >= 1e5) {
    const [m = '', e = ''] = v.toExponential(1).split('e')
    return `${m.replace(/\.0$/, '')}e${e}`
  }
  return String(Number(v.toPrecision(3)))
}

/** A value in words and digits for titles: "0.0123", "1.23e-5". */
export function formatValue(v: number): string {
  const a = Math.abs(v)
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2)
  return String(Number(v.toPrecision(3)))
}

/**
 * SVG path data through the points, in order; a point the scales cannot place (a loss ≤ 0 on a
 * log axis, NaN) breaks the line rather than dropping it to the axis.
 */
export function linePath(points: readonly Point[], x: Scale, y: Scale): string {
  let d = ''
  let open = false
  for (const [px, py] of points) {
    const sx = x(px)
    const sy = y(py)
    if (!Number.isFinite(sx) || !Number.isFinite(sy)) {
      open = false
      continue
    }
    d += `${open ? 'L' : d === '' ? 'M' : ' M'}${round(sx)} ${round(sy)}`
    open = true
  }
  return d
}

const round = (v: number): number => Math.round(v * 100) / 100

/** Whether a log axis suits the values: all positive and spanning more than `ratio` times. */
export function suggestsLog(e: Extent | null, ratio = 20): boolean {
  return e !== null && e.min > 0 && e.max / e.min > ratio
}

export interface AxisLayout {
  /** The plot area inside the SVG, in viewBox units. */
  readonly plot: {
    readonly left: number
    readonly top: number
    readonly right: number
    readonly bottom: number
  }
  readonly x: Scale
  readonly y: Scale
  readonly xTicks: readonly number[]
  readonly yTicks: readonly number[]
}

export interface LayoutInput {
  readonly series: readonly (readonly Point[])[]
  readonly width: number
  readonly height: number
  readonly logY: boolean
  readonly margin?: { top: number; right: number; bottom: number; left: number }
}

const defaultMargin = { top: 12, right: 16, bottom: 36, left: 56 }

/** Scales and ticks for all series together (x always linear, y linear or log). */
export function layoutAxes(input: LayoutInput): AxisLayout {
  const m = input.margin ?? defaultMargin
  const plot = {
    left: m.left,
    top: m.top,
    right: input.width - m.right,
    bottom: input.height - m.bottom,
  }
  const all = input.series.flat()
  const xe = padExtent(extentOf(all.map((p) => p[0])) ?? { min: 0, max: 1 }, false)
  const ye = padExtent(
    extentOf(
      all.map((p) => p[1]),
      input.logY,
    ) ?? (input.logY ? { min: 0.1, max: 1 } : { min: 0, max: 1 }),
    input.logY,
  )
  const x = linearScale(xe, { min: plot.left, max: plot.right })
  const yRange = { min: plot.bottom, max: plot.top }
  const y = input.logY ? logScale(ye, yRange) : linearScale(ye, yRange)
  return {
    plot,
    x,
    y,
    xTicks: linearTicks(xe, 6).filter((v) => Number.isInteger(v)),
    yTicks: input.logY ? logTicks(ye) : linearTicks(ye, 4),
  }
}
