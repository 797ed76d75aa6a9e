/**
 * The pluggable image classifier behind erasure evaluation. A classifier judges attributes of an
 * image (today `color` and `shape`, the ShapeWorld attributes) and says how sure it is. The
 * evaluation runner only compares the labels it returns with the concept, so another judge (a
 * CLIP zero-shot classifier over label prompts, NudeNet or nsfwjs for nudity) plugs in by
 * implementing this interface; `classify` may return a promise for ONNX or worker-based ones.
 */

/** 8-bit RGB pixels, row-major, `width`×`height`×3 bytes. */
export interface RgbImage {
  width: number
  height: number
  rgb: Uint8Array
}

/** The label a classifier gives when it cannot tell (no clear foreground, an off-palette colour). */
export const UNKNOWN = 'unknown'

/** The attributes a classifier may judge; a concept names a value for one or more of them. */
export type Attribute = 'color' | 'shape'

export const ATTRIBUTES: readonly Attribute[] = ['color', 'shape']

export interface Classification {
  /** One of `labels.color` or UNKNOWN; absent when the classifier does not judge colour. */
  color?: string
  /** One of `labels.shape` or UNKNOWN; absent when the classifier does not judge shape. */
  shape?: string
  /** Overall confidence in [0, 1] (0 for UNKNOWN). */
  confidence: number
  colorConfidence?: number
  shapeConfidence?: number
  /** Optional per-label scores or descriptors, for inspection only. */
  scores?: Readonly<Record<string, number>>
}

export interface ImageClassifier {
  /** Stable identifier, recorded as the metrics' `evaluator` (e.g. `shapeworld-pixels`). */
  readonly name: string
  /** The labels it can give per attribute; an attribute left out is never judged. */
  readonly labels: Readonly<Partial<Record<Attribute, readonly string[]>>>
  classify(image: RgbImage): Classification | Promise<Classification>
}

/** A concept or an expectation: the attribute values an image should show. */
export type AttributeValues = Readonly<Partial<Record<Attribute, string>>>

/** Whether the classification gives every value in `expected` (UNKNOWN never matches). */
export function matches(result: Classification, expected: AttributeValues): boolean {
  let named = 0
  for (const attribute of ATTRIBUTES) {
    const want = expected[attribute]
    if (want === undefined) continue
    named++
    if (result[attribute] !== want) return false
  }
  return named > 0
}

/** Throws unless `classifier` judges every attribute `values` names. */
export function assertJudges(classifier: ImageClassifier, values: AttributeValues): void {
  for (const attribute of ATTRIBUTES) {
    const want = values[attribute]
    if (want === undefined) continue
    const labels = classifier.labels[attribute]
    if (labels === undefined) {
      throw new RangeError(`The classifier '${classifier.name}' does not judge ${attribute}.`)
    }
    if (!labels.includes(want)) {
      throw new RangeError(
        `The classifier '${classifier.name}' has no ${attribute} label '${want}'.`,
      )
    }
  }
}
