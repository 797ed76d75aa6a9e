/**
 * ShapeWorld: 64×64 images of one coloured shape on a plain background, drawn procedurally from
 * a seed (issue #8). Small enough to train a text-to-image model from scratch and to judge its
 * images from pixels, so erasure metrics (Acc_e, Acc_s, Acc_g) can be measured exactly.
 *
 * A scene is one shape of one palette colour, with a circumradius of 14–24 px (at 64×64), a
 * whole-pixel centre that keeps the circumscribed circle inside the image with a 1 px margin,
 * and one of four backgrounds. Rendering is anti-aliased by 4×4 supersampling and uses integer
 * arithmetic for the blend, so the same scene gives the same bytes everywhere.
 */
import { insideUnitShape } from './geometry'
import { pick, randomInt, type Rng } from './rng'

export { createRng, pick, randomInt, type Rng } from './rng'

export type ColorName = 'red' | 'green' | 'blue' | 'yellow' | 'purple' | 'orange'
export type ShapeName = 'circle' | 'square' | 'triangle' | 'star' | 'diamond'
export type BackgroundName = 'white' | 'black' | 'grey' | 'beige'
export type Rgb = readonly [number, number, number]

export interface ColorSpec {
  name: ColorName
  rgb: Rgb
  /** Words that mean this colour in captions (never used for another colour). */
  synonyms: readonly string[]
}

export interface ShapeSpec {
  name: ShapeName
  /** Words or phrases that mean this shape in captions. */
  synonyms: readonly string[]
}

export interface BackgroundSpec {
  name: BackgroundName
  rgb: Rgb
}

/** The palette: saturated and far from every background (≥ 110 in RGB distance). */
export const COLORS: readonly ColorSpec[] = [
  { name: 'red', rgb: [220, 30, 30], synonyms: ['crimson', 'scarlet'] },
  { name: 'green', rgb: [30, 170, 50], synonyms: ['emerald', 'jade'] },
  { name: 'blue', rgb: [30, 70, 220], synonyms: ['azure', 'cobalt'] },
  { name: 'yellow', rgb: [240, 210, 30], synonyms: ['golden', 'canary'] },
  { name: 'purple', rgb: [150, 40, 190], synonyms: ['violet', 'amethyst'] },
  { name: 'orange', rgb: [245, 130, 20], synonyms: ['tangerine', 'amber'] },
]

export const SHAPES: readonly ShapeSpec[] = [
  { name: 'circle', synonyms: ['disc', 'dot'] },
  { name: 'square', synonyms: ['box', 'block'] },
  { name: 'triangle', synonyms: ['wedge', 'pyramid'] },
  { name: 'star', synonyms: ['pentagram'] },
  { name: 'diamond', synonyms: ['rhombus', 'lozenge'] },
]

export const BACKGROUNDS: readonly BackgroundSpec[] = [
  { name: 'white', rgb: [255, 255, 255] },
  { name: 'black', rgb: [0, 0, 0] },
  { name: 'grey', rgb: [128, 128, 128] },
  { name: 'beige', rgb: [225, 210, 170] },
]

export const COLOR_NAMES: readonly ColorName[] = COLORS.map((c) => c.name)
export const SHAPE_NAMES: readonly ShapeName[] = SHAPES.map((s) => s.name)
export const BACKGROUND_NAMES: readonly BackgroundName[] = BACKGROUNDS.map((b) => b.name)

/** Smallest and largest circumradius, in pixels at 64×64. */
export const MIN_RADIUS = 14
export const MAX_RADIUS = 24
/** The side the scene coordinates refer to. */
export const WORLD_SIZE = 64

export interface Scene {
  shape: ShapeName
  color: ColorName
  /** circumradius in px at 64×64 */
  size: number
  /** centre in px at 64×64 (circumcentre and centroid) */
  cx: number
  cy: number
  background: BackgroundName
}

export function colorSpec(name: ColorName): ColorSpec {
  const spec = COLORS.find((c) => c.name === name)
  if (spec === undefined) throw new RangeError(`Unknown ShapeWorld colour '${String(name)}'.`)
  return spec
}

export function shapeSpec(name: ShapeName): ShapeSpec {
  const spec = SHAPES.find((s) => s.name === name)
  if (spec === undefined) throw new RangeError(`Unknown ShapeWorld shape '${String(name)}'.`)
  return spec
}

export function backgroundSpec(name: BackgroundName): BackgroundSpec {
  const spec = BACKGROUNDS.find((b) => b.name === name)
  if (spec === undefined) throw new RangeError(`Unknown ShapeWorld background '${String(name)}'.`)
  return spec
}

/**
 * A random scene; `constraint` fixes its shape and/or colour. Draw order (part of the seed
 * promise): shape, colour, radius, cx, cy, background, each drawn even when constrained.
 */
export function sampleScene(
  rng: Rng,
  constraint: { shape?: ShapeName; color?: ColorName } = {},
): Scene {
  const shape = pick(rng, SHAPE_NAMES)
  const color = pick(rng, COLOR_NAMES)
  const size = randomInt(rng, MIN_RADIUS, MAX_RADIUS)
  const cx = randomInt(rng, size + 1, WORLD_SIZE - 1 - size)
  const cy = randomInt(rng, size + 1, WORLD_SIZE - 1 - size)
  const background = pick(rng, BACKGROUND_NAMES)
  return {
    shape: constraint.shape ?? shape,
    color: constraint.color ?? color,
    size,
    cx,
    cy,
    background,
  }
}

/** Samples per pixel side when rendering (4×4 = 16 coverage levels). */
const SUPERSAMPLE = 4

/**
 * The scene as RGB bytes, row-major, `size`×`size`×3. Scene coordinates are scaled by
 * size / 64. Edge pixels blend shape and background by the share of 4×4 sub-samples inside.
 */
export function renderScene(scene: Scene, size = WORLD_SIZE): Uint8Array {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`renderScene: size must be a whole number ≥ 1, got ${String(size)}.`)
  }
  const fg = colorSpec(scene.color).rgb
  const bg = backgroundSpec(scene.background).rgb
  const scale = size / WORLD_SIZE
  const radius = scene.size * scale
  const cx = scene.cx * scale
  const cy = scene.cy * scale
  const out = new Uint8Array(size * size * 3)
  for (let i = 0; i < size * size; i++) out.set(bg, i * 3)
  const x0 = Math.max(0, Math.floor(cx - radius))
  const x1 = Math.min(size - 1, Math.ceil(cx + radius))
  const y0 = Math.max(0, Math.floor(cy - radius))
  const y1 = Math.min(size - 1, Math.ceil(cy + radius))
  const levels = SUPERSAMPLE * SUPERSAMPLE
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let hits = 0
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        const py = (y + (sy + 0.5) / SUPERSAMPLE - cy) / radius
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const px = (x + (sx + 0.5) / SUPERSAMPLE - cx) / radius
          if (insideUnitShape(scene.shape, px, py)) hits++
        }
      }
      if (hits === 0) continue
      const o = (y * size + x) * 3
      for (let c = 0; c < 3; c++) {
        out[o + c] = Math.round(
          ((bg[c] as number) * (levels - hits) + (fg[c] as number) * hits) / levels,
        )
      }
    }
  }
  return out
}
