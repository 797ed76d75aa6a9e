import type { Experiment, GalleryImage } from '../../../../shared/contract'
import { schedulerLabel } from '../generate/model'
import type { GalleryGroup } from '../experiments/gallery-model'
import { galleryGroups, pairGallery } from '../experiments/gallery-model'

/**
 * Two experiments' galleries side by side: for each group, prompt and seed, the original
 * model's image, experiment A's erased image and experiment B's. Only two experiments of the
 * same model compare this way (their originals are the same model's), so the page asks first.
 */
export type GalleryVerdict =
  | { readonly ok: true; readonly a: Experiment; readonly b: Experiment }
  | { readonly ok: false; readonly reason: string }

export function galleryVerdict(chosen: readonly Experiment[]): GalleryVerdict {
  if (chosen.length !== 2) {
    return {
      ok: false,
      reason: `Galleries are compared two at a time; ${chosen.length} experiments are chosen. Remove all but two to see their images side by side.`,
    }
  }
  const [a, b] = chosen as [Experiment, Experiment]
  const removed = chosen.find((e) => e.modelId === null)
  if (removed) {
    return {
      ok: false,
      reason: `The model of experiment #${removed.number} was removed from the project, so its images cannot be matched with the other experiment’s.`,
    }
  }
  if (a.modelId !== b.modelId) {
    return {
      ok: false,
      reason: `Experiments #${a.number} and #${b.number} erase from different models, so their images are not comparable. Pick two experiments of the same model.`,
    }
  }
  return { ok: true, a, b }
}

export interface CompareTriple {
  /** Unique within the comparison. */
  readonly key: string
  readonly group: GalleryGroup
  readonly prompt: string
  readonly seed: number
  /** The original model's image (A's, else B's: the same model, prompt and seed). */
  readonly original: GalleryImage | null
  readonly a: GalleryImage | null
  readonly b: GalleryImage | null
}

export interface TripleSection {
  readonly group: GalleryGroup
  readonly triples: readonly CompareTriple[]
}

/**
 * Matches the two galleries by group, prompt and seed: A's order first, then what only B drew.
 * A prompt or seed only one experiment drew keeps the other side null ("not drawn").
 */
export function tripleGallery(
  aImages: readonly GalleryImage[],
  bImages: readonly GalleryImage[],
): TripleSection[] {
  const bPairs = new Map(pairGallery(bImages).flatMap((s) => s.pairs.map((p) => [p.key, p])))
  const triples: CompareTriple[] = []
  const seen = new Set<string>()
  for (const pair of pairGallery(aImages).flatMap((s) => s.pairs)) {
    const other = bPairs.get(pair.key)
    seen.add(pair.key)
    triples.push({
      key: pair.key,
      group: pair.group,
      prompt: pair.prompt,
      seed: pair.seed,
      original: pair.original ?? other?.original ?? null,
      a: pair.erased,
      b: other?.erased ?? null,
    })
  }
  for (const pair of bPairs.values()) {
    if (seen.has(pair.key)) continue
    triples.push({ ...pair, original: pair.original, a: null, b: pair.erased })
  }
  return galleryGroups
    .map((group) => ({ group, triples: triples.filter((t) => t.group === group) }))
    .filter((s) => s.triples.length > 0)
}

/**
 * Why the two originals of one prompt and seed may still differ: gallery settings that are not
 * the same ("steps 4 and 8, size 64 and 128"), or null when they match.
 */
export function gallerySettingsDifference(a: Experiment, b: Experiment): string | null {
  const ga = a.gallery
  const gb = b.gallery
  const size = (v: number | undefined): string => (v === undefined ? 'model’s own' : String(v))
  const parts = [
    ga.steps !== gb.steps ? `steps ${ga.steps} and ${gb.steps}` : null,
    ga.guidance !== gb.guidance ? `guidance ${ga.guidance} and ${gb.guidance}` : null,
    ga.scheduler !== gb.scheduler
      ? `scheduler ${schedulerLabel(ga.scheduler)} and ${schedulerLabel(gb.scheduler)}`
      : null,
    ga.size !== gb.size ? `size ${size(ga.size)} and ${size(gb.size)}` : null,
  ].filter((p): p is string => p !== null)
  return parts.length === 0 ? null : parts.join(', ')
}

/** How many triples have both erased images (what can really be compared). */
export const matchedCount = (sections: readonly TripleSection[]): number =>
  sections.reduce((n, s) => n + s.triples.filter((t) => t.a !== null && t.b !== null).length, 0)
