import type { GalleryImage } from '../../../../shared/contract'

/**
 * The experiment's gallery as before/after pairs: for each group, one pair per prompt and seed,
 * the original model's image beside the edited model's. Order follows the host's (prompts as
 * first rendered, then seeds); a half-made pair (a cancelled run) keeps its missing side null.
 */
export type GalleryGroup = GalleryImage['group']

export const galleryGroups: readonly GalleryGroup[] = ['erasure', 'probe', 'preserved']

export const groupTitles: Record<GalleryGroup, string> = {
  erasure: 'Erasure',
  probe: 'Probe (associated)',
  preserved: 'Preserved',
}

export const groupDescriptions: Record<GalleryGroup, string> = {
  erasure: 'Prompts that name the erased concept: the erased side should have lost it.',
  probe:
    'Prompts associated with the concept that do not name it: the residue neighbor mining is for.',
  preserved: 'Unrelated concepts: both sides should look alike.',
}

export interface GalleryPair {
  /** Unique within the experiment. */
  readonly key: string
  readonly group: GalleryGroup
  readonly prompt: string
  readonly seed: number
  readonly original: GalleryImage | null
  readonly erased: GalleryImage | null
}

export interface GallerySection {
  readonly group: GalleryGroup
  readonly pairs: readonly GalleryPair[]
}

export const pairKey = (group: GalleryGroup, prompt: string, seed: number): string =>
  JSON.stringify([group, prompt, seed])

/** Groups in a fixed order; empty groups are left out. */
export function pairGallery(images: readonly GalleryImage[]): GallerySection[] {
  const pairs = new Map<string, { -readonly [K in keyof GalleryPair]: GalleryPair[K] }>()
  for (const image of images) {
    const key = pairKey(image.group, image.prompt, image.seed)
    let pair = pairs.get(key)
    if (!pair) {
      pair = {
        key,
        group: image.group,
        prompt: image.prompt,
        seed: image.seed,
        original: null,
        erased: null,
      }
      pairs.set(key, pair)
    }
    if (image.role === 'original') pair.original = image
    else pair.erased = image
  }
  const all = [...pairs.values()]
  return galleryGroups
    .map((group) => ({ group, pairs: sortPairs(all.filter((p) => p.group === group)) }))
    .filter((s) => s.pairs.length > 0)
}

/** Pairs of one prompt stay together (in first-seen order); seeds ascend within a prompt. */
function sortPairs(pairs: readonly GalleryPair[]): GalleryPair[] {
  const promptOrder = new Map<string, number>()
  pairs.forEach((p) => {
    if (!promptOrder.has(p.prompt)) promptOrder.set(p.prompt, promptOrder.size)
  })
  return [...pairs].sort(
    (a, b) => promptOrder.get(a.prompt)! - promptOrder.get(b.prompt)! || a.seed - b.seed,
  )
}

/** "2 prompts × 2 seeds" */
export function sectionSummary(section: GallerySection): string {
  const prompts = new Set(section.pairs.map((p) => p.prompt)).size
  const seeds = new Set(section.pairs.map((p) => p.seed)).size
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`
  return `${plural(prompts, 'prompt')} × ${plural(seeds, 'seed')}`
}
