import { describe, expect, it } from 'vitest'
import {
  ASSOCIATIONS,
  associationsFor,
  captionFor,
  constraintFromCaption,
  evaluationPrompts,
  sampleTrainingExample,
  vocabularyWords,
} from '../../../src/main/engine/shapeworld/captions'
import {
  COLORS,
  SHAPES,
  colorSpec,
  createRng,
  sampleScene,
  shapeSpec,
  type Scene,
} from '../../../src/main/engine/shapeworld/world'

/** Whether `text` contains `phrase` as whole words. */
const hasPhrase = (text: string, phrase: string): boolean => ` ${text} `.includes(` ${phrase} `)
const colorWords = (name: string): string[] =>
  COLORS.filter((c) => c.name === name).flatMap((c) => [c.name, ...c.synonyms])
const shapeWords = (name: string): string[] =>
  SHAPES.filter((s) => s.name === name).flatMap((s) => [s.name, ...s.synonyms])
const ALL_CONCEPT_WORDS = [
  ...COLORS.flatMap((c) => colorWords(c.name)),
  ...SHAPES.flatMap((s) => shapeWords(s.name)),
]

function scenes(seed: number, n: number): Scene[] {
  const rng = createRng(seed)
  return Array.from({ length: n }, () => sampleScene(rng))
}

describe('ShapeWorld captions', () => {
  it('plain captions name the scene colour and shape, with the right article', () => {
    const rng = createRng(11)
    for (const scene of scenes(1, 300)) {
      const caption = captionFor(scene, 'plain', rng) ?? ''
      expect(hasPhrase(caption, scene.color)).toBe(true)
      expect(hasPhrase(caption, scene.shape)).toBe(true)
      expect(caption).not.toMatch(/\ba [aeiou]/)
      expect(caption).not.toMatch(/\ban [^aeiou]/)
      if (caption.includes('background'))
        expect(hasPhrase(caption, `${scene.background} background`)).toBe(true)
    }
    const rngA = createRng(4)
    const orange: Scene = {
      shape: 'diamond',
      color: 'orange',
      size: 20,
      cx: 30,
      cy: 30,
      background: 'white',
    }
    const captions = new Set(Array.from({ length: 60 }, () => captionFor(orange, 'plain', rngA)))
    expect(captions).toContain('a photo of an orange diamond')
    expect(captions).toContain('orange diamond')
  })

  it('synonym captions swap the colour, the shape or both for a synonym of the same concept', () => {
    const rng = createRng(12)
    const kinds = new Set<string>()
    for (const scene of scenes(2, 400)) {
      const caption = captionFor(scene, 'synonym', rng) ?? ''
      const colorSynonym = colorSpec(scene.color).synonyms.find((w) => hasPhrase(caption, w))
      const shapeSynonym = shapeSpec(scene.shape).synonyms.find((w) => hasPhrase(caption, w))
      expect(colorSynonym !== undefined || shapeSynonym !== undefined).toBe(true)
      expect(colorSynonym !== undefined || hasPhrase(caption, scene.color)).toBe(true)
      expect(shapeSynonym !== undefined || hasPhrase(caption, scene.shape)).toBe(true)
      kinds.add(`${colorSynonym !== undefined}-${shapeSynonym !== undefined}`)
      // no word of another colour or shape
      const others = ALL_CONCEPT_WORDS.filter(
        (w) => !colorWords(scene.color).includes(w) && !shapeWords(scene.shape).includes(w),
      )
      for (const w of others) expect(hasPhrase(caption, w), `${caption} has ${w}`).toBe(false)
    }
    expect(kinds).toEqual(new Set(['true-false', 'false-true', 'true-true']))
  })

  it('associated captions use a phrase of the scene, and none exists for other scenes', () => {
    const rng = createRng(13)
    let withPhrase = 0
    for (const scene of scenes(3, 300)) {
      const caption = captionFor(scene, 'associated', rng)
      const fits = associationsFor(scene.color, scene.shape)
      if (fits.length === 0) {
        expect(caption).toBeNull()
        continue
      }
      withPhrase++
      expect(fits.some((a) => hasPhrase(caption ?? '', a.phrase))).toBe(true)
    }
    expect(withPhrase).toBeGreaterThan(10)
    const square: Scene = {
      shape: 'square',
      color: 'purple',
      size: 20,
      cx: 30,
      cy: 30,
      background: 'grey',
    }
    expect(captionFor(square, 'associated', rng)).toBeNull()
  })

  it('associated phrases never contain a colour or shape word nor a synonym', () => {
    for (const { phrase } of ASSOCIATIONS) {
      for (const word of ALL_CONCEPT_WORDS)
        expect(hasPhrase(phrase, word), `${phrase} / ${word}`).toBe(false)
      // not even inside a longer word ('blueberry')
      for (const c of COLORS) expect(phrase.includes(c.name), phrase).toBe(false)
    }
  })

  it('has enough associations for the erasable concepts', () => {
    const count = (f: (a: (typeof ASSOCIATIONS)[number]) => boolean): number =>
      ASSOCIATIONS.filter(f).length
    expect(count((a) => a.color === 'red')).toBeGreaterThanOrEqual(2)
    expect(count((a) => a.color === 'blue')).toBeGreaterThanOrEqual(2)
    expect(count((a) => a.shape === 'circle')).toBeGreaterThanOrEqual(1)
    expect(count((a) => a.shape === 'triangle')).toBeGreaterThanOrEqual(1)
    expect(ASSOCIATIONS.find((a) => a.phrase === 'a ruby')).toMatchObject({
      color: 'red',
      shape: 'diamond',
    })
    expect(ASSOCIATIONS.find((a) => a.phrase === 'a ripe tomato')).toMatchObject({
      color: 'red',
      shape: 'circle',
    })
    expect(new Set(ASSOCIATIONS.map((a) => a.phrase)).size).toBe(ASSOCIATIONS.length)
  })

  it('samples the training mix with captions that match their scenes', () => {
    const rng = createRng(2024)
    const n = 6000
    const tally = { empty: 0, associated: 0, synonym: 0, plain: 0 }
    for (let k = 0; k < n; k++) {
      const { scene, caption } = sampleTrainingExample(rng)
      const phrase = ASSOCIATIONS.find((a) => hasPhrase(caption, a.phrase))
      if (caption === '') tally.empty++
      else if (phrase !== undefined) {
        tally.associated++
        expect([scene.color, scene.shape]).toEqual([phrase.color, phrase.shape])
      } else if (hasPhrase(caption, scene.color) && hasPhrase(caption, scene.shape)) tally.plain++
      else {
        tally.synonym++
        const named = [...colorWords(scene.color), ...shapeWords(scene.shape)].filter((w) =>
          hasPhrase(caption, w),
        )
        expect(named.length, caption).toBe(2)
      }
    }
    expect(tally.empty / n).toBeCloseTo(0.05, 1)
    expect(Math.abs(tally.associated / n - 0.15)).toBeLessThan(0.02)
    expect(Math.abs(tally.synonym / n - 0.2)).toBeLessThan(0.02)
    expect(Math.abs(tally.plain / n - 0.6)).toBeLessThan(0.025)
    const again = createRng(2024)
    expect(sampleTrainingExample(again)).toEqual(sampleTrainingExample(createRng(2024)))
  })

  it('covers every caption word in vocabularyWords(), all lowercase ASCII', () => {
    const vocab = new Set(vocabularyWords())
    expect([...vocab].every((w) => /^[a-z]+$/.test(w))).toBe(true)
    expect(vocabularyWords()).toEqual([...vocab].sort())
    const rng = createRng(21)
    const captions: string[] = []
    for (let k = 0; k < 3000; k++) captions.push(sampleTrainingExample(rng).caption)
    for (const scene of scenes(22, 200)) {
      for (const mode of ['plain', 'synonym', 'associated'] as const)
        captions.push(captionFor(scene, mode, rng) ?? '')
    }
    for (const concept of [
      { color: 'red' },
      { shape: 'circle' },
      { color: 'blue', shape: 'square' },
    ] as const) {
      const set = evaluationPrompts(concept)
      captions.push(...set.erasure, ...set.generalization, ...set.preserved.map((p) => p.prompt))
    }
    for (const caption of captions) {
      expect(caption).toMatch(/^([a-z]+( [a-z]+)*)?$/)
      for (const word of caption.split(' ').filter((w) => w !== ''))
        expect(vocab.has(word), word).toBe(true)
    }
  })
})

describe('evaluation prompts', () => {
  it('splits a colour concept into erasure, preserved and generalization prompts', () => {
    const set = evaluationPrompts({ color: 'red' })
    expect(set.erasure).toContain('a photo of a red circle')
    expect(set.erasure.every((p) => hasPhrase(p, 'red'))).toBe(true)
    // the first five cover every shape
    expect(new Set(set.erasure.slice(0, 5).map((p) => p.split(' ').at(-1))).size).toBe(
      SHAPES.length,
    )
    expect(set.preserved.length).toBeGreaterThan(0)
    for (const { prompt, expect: want } of set.preserved) {
      expect(hasPhrase(prompt, 'red')).toBe(false)
      expect(Object.keys(want)).toEqual(['color'])
      expect(hasPhrase(prompt, want.color ?? '')).toBe(true)
    }
    expect(set.generalization).toContain('a ruby')
    expect(set.generalization).toContain('a ripe tomato')
    expect(set.generalization).toContain('a photo of a crimson circle')
    expect(set.generalization.some((p) => hasPhrase(p, 'the sky'))).toBe(false)
    for (const p of set.generalization) expect(hasPhrase(p, 'red'), p).toBe(false)
  })

  it('handles a shape concept and a colour-and-shape concept', () => {
    const circle = evaluationPrompts({ shape: 'circle' })
    expect(circle.erasure.every((p) => hasPhrase(p, 'circle'))).toBe(true)
    expect(
      circle.preserved.every(
        ({ prompt, expect: want }) => !hasPhrase(prompt, 'circle') && want.color === undefined,
      ),
    ).toBe(true)
    expect(circle.generalization).toEqual(
      expect.arrayContaining(['a lime', 'the sun', 'a photo of a red disc']),
    )
    expect(circle.generalization).not.toContain('a ruby')

    const blueSquare = evaluationPrompts({ color: 'blue', shape: 'square' })
    expect(blueSquare.erasure).toEqual(['a photo of a blue square', 'a blue square'])
    expect(blueSquare.preserved).toContainEqual({
      prompt: 'a photo of a blue circle',
      expect: { color: 'blue', shape: 'circle' },
    })
    expect(blueSquare.preserved).toContainEqual({
      prompt: 'a red square',
      expect: { color: 'red', shape: 'square' },
    })
    expect(blueSquare.generalization).toEqual(
      expect.arrayContaining(['the sky', 'a photo of an azure box']),
    )
    expect(() => evaluationPrompts({})).toThrow(RangeError)
  })
})

describe('constraintFromCaption', () => {
  it('reads every generated caption back to its scene', () => {
    const rng = createRng(99)
    for (let k = 0; k < 2000; k++) {
      const { scene, caption } = sampleTrainingExample(rng)
      const read = constraintFromCaption(caption)
      if (caption === '') expect(read).toEqual({})
      else expect(read).toEqual({ color: scene.color, shape: scene.shape })
    }
    expect(constraintFromCaption('a ruby')).toEqual({ color: 'red', shape: 'diamond' })
    expect(constraintFromCaption('a photo of a crimson thing')).toEqual({ color: 'red' })
    expect(constraintFromCaption('a rhombus')).toEqual({ shape: 'diamond' })
  })
})
