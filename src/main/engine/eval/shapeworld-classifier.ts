/**
 * A deterministic ShapeWorld judge from pixels (`shapeworld-pixels`), with nothing learned:
 * - the image is area-averaged to 64×64 and the object segmented against the most common border
 *   colour (segment.ts);
 * - colour = the palette colour nearest (RGB distance) to the object's median colour; UNKNOWN
 *   when that colour is achromatic (grey, white, black: no palette colour is) or far from every
 *   palette colour;
 * - shape = the world shape whose ideal coverage map, placed at the object's centroid and scaled
 *   to its area, fits the soft coverage α best in least squares (a template-fit descriptor).
 *   A fit of the anti-aliased coverage uses every edge pixel, where hull vertex counts and fill
 *   ratios hang on a few corners that blur rounds off. Additive noise adds the same Σnoise² to every template's error, so the
 *   ranking survives noise. Each template also tries scales ±3 % (blur and imperfect images).
 * Confidences come from the margins (second-nearest colour; second-best fit) and the residual.
 */
import { COLORS, SHAPES, type ColorName, type ShapeName } from '../shapeworld/world'
import { unitArea, unitSignedDistance } from '../shapeworld/geometry'
import { UNKNOWN, type Classification, type ImageClassifier, type RgbImage } from './classifier'
import { toPlanes } from './planes'
import { segmentForeground, type Color3, type Foreground } from './segment'

const SIDE = 64
/** Object colours with max − min channel below this are grey, not a palette colour. */
const MIN_CHROMA = 50
/** Farther than this (RGB distance) from every palette colour: UNKNOWN. */
const MAX_COLOR_DISTANCE = 150
/** Least-squares residual, relative to the object's area, beyond which the shape is UNKNOWN. */
const MAX_SHAPE_RESIDUAL = 0.5
/** Fit-error margin (relative to area) that counts as a sure shape decision. */
const SURE_SHAPE_MARGIN = 0.06
const SCALES = [0.97, 1, 1.03]

export interface ColorJudgement {
  color: ColorName | typeof UNKNOWN
  confidence: number
}

export interface ShapeJudgement {
  shape: ShapeName | typeof UNKNOWN
  confidence: number
  /** per shape: least-squares residual relative to the object's area (lower fits better) */
  residuals: Record<ShapeName, number>
  /** the edge blur (Gaussian σ in px at 64×64) that fitted best */
  blur: number
}

function distance(a: Color3, b: Color3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])
}

export function judgeColor(color: Color3): ColorJudgement {
  const chroma = Math.max(...color) - Math.min(...color)
  const ranked = COLORS.map((c) => ({ name: c.name, d: distance(color, c.rgb) })).sort(
    (a, b) => a.d - b.d,
  )
  const [first, second] = ranked
  if (first === undefined || second === undefined) throw new Error('The palette needs two colours.')
  if (chroma < MIN_CHROMA || first.d > MAX_COLOR_DISTANCE) return { color: UNKNOWN, confidence: 0 }
  const margin = (second.d - first.d) / second.d
  const closeness = Math.min(1, (MAX_COLOR_DISTANCE - first.d) / (MAX_COLOR_DISTANCE / 2))
  return { color: first.name, confidence: margin * closeness }
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const erf = 1 - poly * Math.exp(-x * x)
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2
}

/**
 * Ideal coverage of a pixel whose centre is `sd` px from the outline (negative inside): the box
 * filter of a straight edge, or with `blur` > 0 that edge convolved with a Gaussian of that σ.
 */
function coverage(sd: number, blur: number): number {
  if (blur === 0) return Math.min(1, Math.max(0, 0.5 - sd))
  return normalCdf(-sd / Math.sqrt(blur * blur + 1 / 12))
}

interface Fit {
  alpha: Float32Array
  /** Σα² over the image */
  energy: number
  cx: number
  cy: number
}

/** Σ(α − template)² over the image for `shape` with circumradius `radius` and edge `blur`. */
function fitError(fit: Fit, shape: ShapeName, radius: number, blur: number): number {
  const { alpha, cx, cy } = fit
  const reach = radius + 1 + 3 * blur
  const x0 = Math.max(0, Math.floor(cx - reach))
  const x1 = Math.min(SIDE - 1, Math.ceil(cx + reach))
  const y0 = Math.max(0, Math.floor(cy - reach))
  const y1 = Math.min(SIDE - 1, Math.ceil(cy + reach))
  // Σα² everywhere, corrected where the template is non-zero
  let error = fit.energy
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const sd =
        unitSignedDistance(shape, (x + 0.5 - cx) / radius, (y + 0.5 - cy) / radius) * radius
      const t = coverage(sd, blur)
      if (t < 1e-4) continue
      const a = alpha[y * SIDE + x] as number
      error += (a - t) ** 2 - a * a
    }
  }
  return error
}

/** Edge blurs (Gaussian σ, px) tried to match soft images; the best one is used for every shape. */
const BLURS = [0, 0.5, 1, 1.5, 2, 3]

function bestFit(fit: Fit, shape: ShapeName, area: number, blur: number): number {
  const radius = Math.sqrt(area / unitArea(shape))
  let best = Infinity
  for (const scale of SCALES) best = Math.min(best, fitError(fit, shape, radius * scale, blur))
  return best
}

export function judgeShape(object: Foreground): ShapeJudgement {
  let energy = 0
  for (const a of object.alpha) energy += a * a
  const fit: Fit = { alpha: object.alpha, energy, cx: object.cx, cy: object.cy }
  const radiusOf = (shape: ShapeName): number => Math.sqrt(object.area / unitArea(shape))
  // 1. the roughly best shape, without blur; 2. the edge blur that fits it best
  const rough = SHAPES.map((s) => ({ name: s.name, e: fitError(fit, s.name, radiusOf(s.name), 0) }))
  const roughBest = rough.reduce((a, b) => (b.e < a.e ? b : a))
  const blurFits = BLURS.map((blur) => ({
    blur,
    e: fitError(fit, roughBest.name, radiusOf(roughBest.name), blur),
  }))
  const blur = blurFits.reduce((a, b) => (b.e < a.e ? b : a)).blur
  // 3. every shape at that blur, best of a few scales
  const residuals = {} as Record<ShapeName, number>
  for (const { name } of SHAPES)
    residuals[name] = bestFit(fit, name, object.area, blur) / object.area
  const ranked = SHAPES.map((s) => ({ name: s.name, r: residuals[s.name] })).sort(
    (a, b) => a.r - b.r,
  )
  const [first, second] = ranked
  if (first === undefined || second === undefined) throw new Error('The world needs two shapes.')
  if (first.r > MAX_SHAPE_RESIDUAL) return { shape: UNKNOWN, confidence: 0, residuals, blur }
  const margin = Math.min(1, (second.r - first.r) / SURE_SHAPE_MARGIN)
  const fitness = Math.min(1, (MAX_SHAPE_RESIDUAL - first.r) / (MAX_SHAPE_RESIDUAL / 2))
  return { shape: first.name, confidence: margin * fitness, residuals, blur }
}

function unknown(): Classification {
  return { color: UNKNOWN, shape: UNKNOWN, confidence: 0, colorConfidence: 0, shapeConfidence: 0 }
}

/** Classifies one image (any size; resampled to 64×64). */
export function classifyShapeWorld(image: RgbImage): Classification {
  const object = segmentForeground(toPlanes(image, SIDE))
  if (object === null) return unknown()
  const color = judgeColor(object.color)
  const shape = judgeShape(object)
  const scores: Record<string, number> = {
    area: object.area,
    noise: object.noise,
    blur: shape.blur,
  }
  for (const { name } of SHAPES) scores[`residual.${name}`] = shape.residuals[name]
  return {
    color: color.color,
    shape: shape.shape,
    confidence: Math.min(color.confidence, shape.confidence),
    colorConfidence: color.confidence,
    shapeConfidence: shape.confidence,
    scores,
  }
}

export const shapeWorldClassifier: ImageClassifier = {
  name: 'shapeworld-pixels',
  labels: { color: COLORS.map((c) => c.name), shape: SHAPES.map((s) => s.name) },
  classify: classifyShapeWorld,
}
