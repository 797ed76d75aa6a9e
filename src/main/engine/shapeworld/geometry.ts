/**
 * Outlines of the ShapeWorld shapes at unit circumradius, centred on the origin, in image
 * orientation (y grows downwards). Every shape fits in the unit circle, and its area centroid is
 * the origin, so a scene's (cx, cy) is both the circumcentre and the centre of mass. The
 * orientation is fixed: square axis-aligned, triangle and star pointing up, diamond standing on
 * a corner (the square turned 45°; the card suit's ♦ at equal width and height).
 */
import type { ShapeName } from './world'

export type Point = readonly [number, number]

/** Inner radius of the five-pointed star, relative to its points (a chunky star). */
const STAR_INNER = 0.5

function ring(count: number, startDeg: number, radius: (i: number) => number): Point[] {
  const out: Point[] = []
  for (let i = 0; i < count; i++) {
    const angle = ((startDeg + (360 * i) / count) * Math.PI) / 180
    out.push([radius(i) * Math.cos(angle), radius(i) * Math.sin(angle)])
  }
  return out
}

const POLYGONS: Readonly<Record<Exclude<ShapeName, 'circle'>, readonly Point[]>> = {
  square: ring(4, 45, () => 1),
  triangle: ring(3, -90, () => 1),
  star: ring(10, -90, (i) => (i % 2 === 0 ? 1 : STAR_INNER)),
  diamond: ring(4, -90, () => 1),
}

/** The unit polygon of a shape, or null for the circle. */
export function unitPolygon(shape: ShapeName): readonly Point[] | null {
  return shape === 'circle' ? null : POLYGONS[shape]
}

function polygonArea(points: readonly Point[]): number {
  let twice = 0
  for (let i = 0; i < points.length; i++) {
    const [x0, y0] = points[i] as Point
    const [x1, y1] = points[(i + 1) % points.length] as Point
    twice += x0 * y1 - x1 * y0
  }
  return Math.abs(twice) / 2
}

/** Area of the shape at unit circumradius (multiply by r² for radius r). */
export function unitArea(shape: ShapeName): number {
  const polygon = unitPolygon(shape)
  return polygon === null ? Math.PI : polygonArea(polygon)
}

function insidePolygon(points: readonly Point[], x: number, y: number): boolean {
  let inside = false
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i] as Point
    const [xj, yj] = points[j] as Point
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Whether the point (x, y), in units of the circumradius around the centre, lies inside. */
export function insideUnitShape(shape: ShapeName, x: number, y: number): boolean {
  const polygon = unitPolygon(shape)
  return polygon === null ? x * x + y * y <= 1 : insidePolygon(polygon, x, y)
}

/** Per edge: start x, start y, direction x, direction y, 1 / length² (flat, for speed). */
function edgeTable(points: readonly Point[]): Float64Array {
  const table = new Float64Array(points.length * 5)
  points.forEach(([x0, y0], i) => {
    const [x1, y1] = points[(i + 1) % points.length] as Point
    table.set([x0, y0, x1 - x0, y1 - y0, 1 / ((x1 - x0) ** 2 + (y1 - y0) ** 2)], i * 5)
  })
  return table
}

const EDGES: Readonly<Record<Exclude<ShapeName, 'circle'>, Float64Array>> = {
  square: edgeTable(POLYGONS.square),
  triangle: edgeTable(POLYGONS.triangle),
  star: edgeTable(POLYGONS.star),
  diamond: edgeTable(POLYGONS.diamond),
}

/** Signed distance from (x, y) to the unit shape's outline: negative inside, in radius units. */
export function unitSignedDistance(shape: ShapeName, x: number, y: number): number {
  if (shape === 'circle') return Math.sqrt(x * x + y * y) - 1
  const edges = EDGES[shape]
  let best = Infinity
  let inside = false
  for (let o = 0; o < edges.length; o += 5) {
    const ax = edges[o] as number
    const ay = edges[o + 1] as number
    const dx = edges[o + 2] as number
    const dy = edges[o + 3] as number
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) * (edges[o + 4] as number)))
    const ex = x - ax - t * dx
    const ey = y - ay - t * dy
    const d2 = ex * ex + ey * ey
    if (d2 < best) best = d2
    // crossing test on the same edge (from (ax, ay) to (ax + dx, ay + dy))
    const by = ay + dy
    if (ay > y !== by > y && x < (dx * (y - ay)) / dy + ax) inside = !inside
  }
  const d = Math.sqrt(best)
  return inside ? -d : d
}
