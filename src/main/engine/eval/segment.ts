/**
 * Foreground segmentation for one-object images on a plain background (ShapeWorld):
 * 1. background = the most common border colour (coarse 8×8×8 bins, then the per-channel median
 *    of the border pixels near that bin), with a robust noise estimate (MAD) from the same pixels;
 * 2. candidate pixels = distance to the background, after a 3×3 box filter, above a threshold
 *    that rises with the noise; the largest 4-connected component is the object, unless it is
 *    too small (MIN_PIXELS) or too large (MAX_SHARE): then there is no clear foreground;
 * 3. object colour = per-channel median of the component's interior (edge pixels dropped), over
 *    its half farthest from the background (soft, blurred edges pull the colour the least);
 * 4. soft coverage α = projection of each pixel onto the background→object colour line, kept
 *    unclamped inside the component grown by 2 px (noise then averages out in sums) and 0
 *    elsewhere; area and centroid are sums over α.
 */
import { boxBlur3, median, type Planes } from './planes'

export type Color3 = readonly [number, number, number]

export interface Foreground {
  background: Color3
  /** robust per-channel noise standard deviation of the background */
  noise: number
  /** the object's median colour */
  color: Color3
  /** pixels in the largest component */
  pixels: number
  /** Σα: the object's area in pixels */
  area: number
  /** centroid (pixel centres at x + 0.5) */
  cx: number
  cy: number
  /** soft coverage, `side`×`side`, unclamped inside the grown component, 0 elsewhere */
  alpha: Float32Array
}

const BIN = 32
const NEAR_BACKGROUND = 60
/** Lowest background distance (after the 3×3 filter) that counts as foreground. */
const MIN_THRESHOLD = 40
/** Smallest object, in pixels at 64×64 (the smallest world shape has about 290). */
export const MIN_PIXELS = 60
/** Largest share of the image an object may cover (the largest world shape covers 44 %). */
export const MAX_SHARE = 0.7

function tuple3(f: (c: 0 | 1 | 2) => number): Color3 {
  return [f(0), f(1), f(2)]
}

function borderIndices(side: number): number[] {
  const out: number[] = []
  for (let x = 0; x < side; x++) out.push(x, (side - 1) * side + x)
  for (let y = 1; y < side - 1; y++) out.push(y * side, y * side + side - 1)
  return out
}

function pixel(planes: Planes, i: number): Color3 {
  const [r, g, b] = planes.channels
  return [r[i] as number, g[i] as number, b[i] as number]
}

function distance(a: Color3, b: Color3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])
}

function estimateBackground(planes: Planes): { background: Color3; noise: number } {
  const border = borderIndices(planes.side).map((i) => pixel(planes, i))
  const counts = new Map<number, number>()
  const binOf = (p: Color3): number =>
    (Math.min(7, Math.floor(p[0] / BIN)) * 8 + Math.min(7, Math.floor(p[1] / BIN))) * 8 +
    Math.min(7, Math.floor(p[2] / BIN))
  let bestBin = 0
  let bestCount = 0
  for (const p of border) {
    const bin = binOf(p)
    const count = (counts.get(bin) ?? 0) + 1
    counts.set(bin, count)
    if (count > bestCount) [bestBin, bestCount] = [bin, count]
  }
  const members = border.filter((p) => binOf(p) === bestBin)
  const mean = tuple3((c) => members.reduce((s, p) => s + p[c], 0) / members.length)
  const near = border.filter((p) => distance(p, mean) < NEAR_BACKGROUND)
  const background = tuple3((c) => median(near.map((p) => p[c])))
  const mads = tuple3((c) => median(near.map((p) => Math.abs(p[c] - background[c]))))
  const noise = (1.4826 * (mads[0] + mads[1] + mads[2])) / 3
  return { background, noise }
}

function largestComponent(mask: Uint8Array, side: number): number[] {
  const seen = new Uint8Array(mask.length)
  let best: number[] = []
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || seen[start] === 1) continue
    const component: number[] = []
    const stack = [start]
    seen[start] = 1
    while (stack.length > 0) {
      const i = stack.pop() as number
      component.push(i)
      const x = i % side
      const neighbours = [x > 0 ? i - 1 : -1, x < side - 1 ? i + 1 : -1, i - side, i + side]
      for (const n of neighbours) {
        if (n < 0 || n >= mask.length || mask[n] === 0 || seen[n] === 1) continue
        seen[n] = 1
        stack.push(n)
      }
    }
    if (component.length > best.length) best = component
  }
  return best
}

/** `mask` grown (radius > 0) or shrunk (radius < 0) by |radius| pixels, 4-neighbourhood. */
function morph(mask: Uint8Array, side: number, radius: number): Uint8Array {
  const grow = radius > 0
  // outside the image counts as background, so shrinking also peels pixels on the border
  const at = (m: Uint8Array, x: number, y: number): number =>
    x < 0 || y < 0 || x >= side || y >= side ? 0 : (m[y * side + x] as number)
  let current = mask
  for (let step = 0; step < Math.abs(radius); step++) {
    const next = new Uint8Array(current.length)
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const sum =
          at(current, x, y) +
          at(current, x - 1, y) +
          at(current, x + 1, y) +
          at(current, x, y - 1) +
          at(current, x, y + 1)
        next[y * side + x] = (grow ? sum > 0 : sum === 5) ? 1 : 0
      }
    }
    current = next
  }
  return current
}

/** The object in `planes`, or null when no component stands out from the background. */
export function segmentForeground(planes: Planes): Foreground | null {
  const { side, channels } = planes
  const { background, noise } = estimateBackground(planes)
  const smooth = channels.map((c) => boxBlur3(c, side))
  const threshold = Math.max(MIN_THRESHOLD, 2.5 * noise)
  const mask = new Uint8Array(side * side)
  const distanceMap = new Float32Array(side * side)
  for (let i = 0; i < mask.length; i++) {
    const d = Math.hypot(
      (smooth[0]?.[i] as number) - background[0],
      (smooth[1]?.[i] as number) - background[1],
      (smooth[2]?.[i] as number) - background[2],
    )
    distanceMap[i] = d
    if (d > threshold) mask[i] = 1
  }
  const component = largestComponent(mask, side)
  if (component.length < MIN_PIXELS || component.length > MAX_SHARE * side * side) return null
  const objectMask = new Uint8Array(side * side)
  for (const i of component) objectMask[i] = 1
  const interior = morph(objectMask, side, -1)
  let core = component.filter((i) => interior[i] === 1)
  if (core.length < MIN_PIXELS / 3) core = component
  // the half farthest from the background: the object's own colour even where edges are soft
  const farthest = median(core.map((i) => distanceMap[i] as number))
  core = core.filter((i) => (distanceMap[i] as number) >= farthest)
  const color = tuple3((c) => median(core.map((i) => channels[c][i] as number)))
  const direction = [
    color[0] - background[0],
    color[1] - background[1],
    color[2] - background[2],
  ] as const
  const contrast2 = direction[0] ** 2 + direction[1] ** 2 + direction[2] ** 2
  if (Math.sqrt(contrast2) < threshold) return null
  const region = morph(objectMask, side, 2)
  const alpha = new Float32Array(side * side)
  let area = 0
  let sx = 0
  let sy = 0
  for (let i = 0; i < alpha.length; i++) {
    if (region[i] === 0) continue
    const p = pixel(planes, i)
    const a =
      ((p[0] - background[0]) * direction[0] +
        (p[1] - background[1]) * direction[1] +
        (p[2] - background[2]) * direction[2]) /
      contrast2
    alpha[i] = a
    area += a
    sx += a * ((i % side) + 0.5)
    sy += a * (Math.floor(i / side) + 0.5)
  }
  if (area < MIN_PIXELS / 2) return null
  return {
    background,
    noise,
    color,
    pixels: component.length,
    area,
    cx: sx / area,
    cy: sy / area,
    alpha,
  }
}
