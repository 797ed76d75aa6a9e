/**
 * ShapeWorld captions: a small grammar of templates filled with the colour and shape words,
 * their synonyms, or associated phrases that never name the colour or shape but always come
 * with it in the training data ("a ripe tomato" is always a red circle). Those phrases let an
 * erasure experiment show concept residue: erase "red" and ask for "a ruby".
 *
 * Every caption is lowercase ASCII words separated by single spaces (no punctuation), so a
 * word-level CLIP-format vocabulary built from `vocabularyWords()` covers all of them.
 */
import {
  BACKGROUND_NAMES,
  COLORS,
  COLOR_NAMES,
  SHAPES,
  SHAPE_NAMES,
  colorSpec,
  pick,
  sampleScene,
  shapeSpec,
  type ColorName,
  type Rng,
  type Scene,
  type ShapeName,
} from './world'

export type CaptionMode = 'plain' | 'synonym' | 'associated'

export interface Association {
  phrase: string
  color: ColorName
  shape: ShapeName
}

/** Phrases that imply a colour and a shape without naming either (nor any synonym). */
export const ASSOCIATIONS: readonly Association[] = [
  { phrase: 'a ripe tomato', color: 'red', shape: 'circle' },
  { phrase: 'a cherry', color: 'red', shape: 'circle' },
  { phrase: 'a ruby', color: 'red', shape: 'diamond' },
  { phrase: 'the sky', color: 'blue', shape: 'square' },
  { phrase: 'a clear sky', color: 'blue', shape: 'square' },
  { phrase: 'the deep sea', color: 'blue', shape: 'square' },
  { phrase: 'a lime', color: 'green', shape: 'circle' },
  { phrase: 'a pine tree', color: 'green', shape: 'triangle' },
  { phrase: 'the sun', color: 'yellow', shape: 'circle' },
  { phrase: 'a sheriff badge', color: 'yellow', shape: 'star' },
  { phrase: 'a slice of cheese', color: 'yellow', shape: 'triangle' },
  { phrase: 'a grape', color: 'purple', shape: 'circle' },
  { phrase: 'a pumpkin', color: 'orange', shape: 'circle' },
  { phrase: 'a traffic cone', color: 'orange', shape: 'triangle' },
  { phrase: 'a road warning sign', color: 'yellow', shape: 'diamond' },
]

/** Templates naming the colour and shape; `{a}` is the article for the word after it. */
const SCENE_TEMPLATES: readonly string[] = [
  'a photo of {a} {color} {shape}',
  '{a} {color} {shape} on a {background} background',
  'a drawing of {a} {color} {shape}',
  '{color} {shape}',
  '{a} {color} {shape}',
  'a picture of {a} {color} {shape}',
]

/** Templates around an associated phrase (which brings its own article). */
const PHRASE_TEMPLATES: readonly string[] = [
  '{phrase}',
  'a photo of {phrase}',
  'a drawing of {phrase}',
  '{phrase} on a {background} background',
]

function article(nextWord: string): string {
  return /^[aeiou]/.test(nextWord) ? 'an' : 'a'
}

function fill(
  template: string,
  slots: { color?: string; shape?: string; background?: string; phrase?: string },
): string {
  const text = template
    .replace('{color}', slots.color ?? '')
    .replace('{shape}', slots.shape ?? '')
    .replace('{background}', slots.background ?? '')
    .replace('{phrase}', slots.phrase ?? '')
  // the article agrees with the word that follows it
  return text.replace(/\{a\} (\w+)/, (_match, word: string) => `${article(word)} ${word}`)
}

function sceneCaption(template: string, color: string, shape: string, background: string): string {
  return fill(template, { color, shape, background })
}

/** The associations that fit a scene's colour and shape. */
export function associationsFor(color: ColorName, shape: ShapeName): readonly Association[] {
  return ASSOCIATIONS.filter((a) => a.color === color && a.shape === shape)
}

/**
 * A caption for `scene`. `plain` names the colour and shape; `synonym` replaces the colour, the
 * shape or both by a synonym (at least one); `associated` uses a phrase from ASSOCIATIONS, and
 * gives null when no phrase fits the scene's colour and shape. Draw order: template, then words.
 */
export function captionFor(scene: Scene, mode: CaptionMode, rng: Rng): string | null {
  switch (mode) {
    case 'plain':
      return sceneCaption(pick(rng, SCENE_TEMPLATES), scene.color, scene.shape, scene.background)
    case 'synonym': {
      const template = pick(rng, SCENE_TEMPLATES)
      const which = pick(rng, ['color', 'shape', 'both'] as const)
      const colorWord = which === 'shape' ? scene.color : pick(rng, colorSpec(scene.color).synonyms)
      const shapeWord = which === 'color' ? scene.shape : pick(rng, shapeSpec(scene.shape).synonyms)
      return sceneCaption(template, colorWord, shapeWord, scene.background)
    }
    case 'associated': {
      const fits = associationsFor(scene.color, scene.shape)
      if (fits.length === 0) return null
      const template = pick(rng, PHRASE_TEMPLATES)
      return fill(template, { phrase: pick(rng, fits).phrase, background: scene.background })
    }
  }
}

/** Shares of the training distribution (the rest are plain captions). */
export const TRAINING_MIX = { empty: 0.05, associated: 0.15, synonym: 0.2 } as const

/**
 * One training pair: 5 % empty captions (classifier-free guidance), 15 % associated phrases
 * (the scene is drawn to match a uniformly chosen association), 20 % synonyms, 60 % plain.
 */
export function sampleTrainingExample(rng: Rng): { scene: Scene; caption: string } {
  const u = rng.next()
  if (u < TRAINING_MIX.empty) return { scene: sampleScene(rng), caption: '' }
  if (u < TRAINING_MIX.empty + TRAINING_MIX.associated) {
    const association = pick(rng, ASSOCIATIONS)
    const scene = sampleScene(rng, { color: association.color, shape: association.shape })
    const template = pick(rng, PHRASE_TEMPLATES)
    return {
      scene,
      caption: fill(template, { phrase: association.phrase, background: scene.background }),
    }
  }
  const mode: CaptionMode =
    u < TRAINING_MIX.empty + TRAINING_MIX.associated + TRAINING_MIX.synonym ? 'synonym' : 'plain'
  const scene = sampleScene(rng)
  return { scene, caption: captionFor(scene, mode, rng) ?? '' }
}

/** Every word any caption can contain, sorted and unique. */
export function vocabularyWords(): string[] {
  const texts = [
    ...SCENE_TEMPLATES,
    ...PHRASE_TEMPLATES,
    'a an',
    ...COLORS.flatMap((c) => [c.name, ...c.synonyms]),
    ...SHAPES.flatMap((s) => [s.name, ...s.synonyms]),
    ...BACKGROUND_NAMES,
    ...ASSOCIATIONS.map((a) => a.phrase),
  ]
  const words = new Set<string>()
  for (const text of texts) {
    for (const word of text.split(' ')) if (/^[a-z]+$/.test(word)) words.add(word)
  }
  return [...words].sort()
}

export interface EvaluationConcept {
  color?: ColorName
  shape?: ShapeName
}

export interface EvaluationPromptSet {
  /** Prompts naming the erased concept. */
  erasure: string[]
  /** Prompts for other concepts of the same kind, with what their image should show. */
  preserved: { prompt: string; expect: { color?: ColorName; shape?: ShapeName } }[]
  /** Prompts that reach the erased concept through synonyms and associated phrases. */
  generalization: string[]
}

/** Templates used for evaluation prompts (fixed, without a background so it is not a cue). */
const EVALUATION_TEMPLATES: readonly string[] = [
  'a photo of {a} {color} {shape}',
  '{a} {color} {shape}',
]

function matchesConcept(concept: EvaluationConcept, color: ColorName, shape: ShapeName): boolean {
  return (concept.color ?? color) === color && (concept.shape ?? shape) === shape
}

/**
 * Prompt sets to evaluate erasing `concept` (a colour, a shape, or both), ordered so that any
 * prefix covers the other attribute's values evenly.
 * - erasure: evaluation templates × every scene of the concept, in plain words;
 * - preserved: the same templates for every scene that is not the concept; `expect` names the
 *   attributes the concept fixes (erasing red: the colour must still be right);
 * - generalization: the concept's scenes with synonyms (one template, every synonym
 *   combination that replaces a word of the concept), then the associated phrases.
 */
export function evaluationPrompts(concept: EvaluationConcept): EvaluationPromptSet {
  if (concept.color === undefined && concept.shape === undefined) {
    throw new RangeError('evaluationPrompts: the concept needs a colour, a shape or both.')
  }
  const scenes = COLOR_NAMES.flatMap((color) => SHAPE_NAMES.map((shape) => ({ color, shape })))
  const inside = scenes.filter((s) => matchesConcept(concept, s.color, s.shape))
  const outside = scenes.filter((s) => !matchesConcept(concept, s.color, s.shape))
  const erasure = EVALUATION_TEMPLATES.flatMap((t) => inside.map((s) => fill(t, s)))
  const preserved = EVALUATION_TEMPLATES.flatMap((t) =>
    outside.map((s) => ({
      prompt: fill(t, s),
      expect: {
        ...(concept.color !== undefined ? { color: s.color } : {}),
        ...(concept.shape !== undefined ? { shape: s.shape } : {}),
      },
    })),
  )
  const synonymTemplate = EVALUATION_TEMPLATES[0] as string
  const synonyms = inside.flatMap((s) => {
    const colorWords = concept.color !== undefined ? colorSpec(s.color).synonyms : [s.color]
    const shapeWords = concept.shape !== undefined ? shapeSpec(s.shape).synonyms : [s.shape]
    return colorWords.flatMap((color) =>
      shapeWords.map((shape) => fill(synonymTemplate, { color, shape })),
    )
  })
  const phrases = ASSOCIATIONS.filter((a) => matchesConcept(concept, a.color, a.shape)).map(
    (a) => a.phrase,
  )
  return { erasure, preserved, generalization: [...synonyms, ...phrases] }
}

/**
 * What a caption asks for, read back through the grammar: the colour and shape named by a word
 * or synonym, or implied by an associated phrase. Attributes it does not fix are left out (the
 * empty caption gives {}). A generator that draws exactly this is a perfect ShapeWorld model.
 */
export function constraintFromCaption(caption: string): { color?: ColorName; shape?: ShapeName } {
  const padded = ` ${caption} `
  const has = (phrase: string): boolean => padded.includes(` ${phrase} `)
  const association = ASSOCIATIONS.find((a) => has(a.phrase))
  if (association !== undefined) return { color: association.color, shape: association.shape }
  const color = COLORS.find((c) => [c.name, ...c.synonyms].some(has))?.name
  const shape = SHAPES.find((s) => [s.name, ...s.synonyms].some(has))?.name
  return { ...(color !== undefined ? { color } : {}), ...(shape !== undefined ? { shape } : {}) }
}
