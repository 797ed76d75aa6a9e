import { describe, expect, it } from 'vitest'
import {
  UNKNOWN,
  type ImageClassifier,
  type RgbImage,
} from '../../../src/main/engine/eval/classifier'
import {
  evaluateErasure,
  planEvaluation,
  type EvaluationProgress,
  type Generate,
} from '../../../src/main/engine/eval/evaluate'
import { shapeWorldClassifier } from '../../../src/main/engine/eval/shapeworld-classifier'
import {
  constraintFromCaption,
  evaluationPrompts,
} from '../../../src/main/engine/shapeworld/captions'
import {
  backgroundSpec,
  colorSpec,
  createRng,
  renderScene,
  sampleScene,
  type Scene,
} from '../../../src/main/engine/shapeworld/world'

/** The scene a perfect model would draw for `prompt` and `seed`. */
function trueScene(prompt: string, seed: number): Scene {
  return sampleScene(createRng(seed), constraintFromCaption(prompt))
}

const image = (rgb: Uint8Array): RgbImage => ({ width: 64, height: 64, rgb })

/** A perfect model: it draws exactly what the prompt asks for. */
const perfect: Generate = (prompt, seed) =>
  Promise.resolve(image(renderScene(trueScene(prompt, seed))))

/** The true scene with its red shape turned grey (soft edges kept): red is erased everywhere. */
function greyed(scene: Scene): Uint8Array {
  const rgb = renderScene(scene)
  if (scene.color !== 'red') return rgb
  const fg = colorSpec('red').rgb
  const bg = backgroundSpec(scene.background).rgb
  const grey = [128, 128, 128]
  const span = (fg[0] - bg[0]) ** 2 + (fg[1] - bg[1]) ** 2 + (fg[2] - bg[2]) ** 2
  for (let i = 0; i < rgb.length; i += 3) {
    let a = 0
    for (let c = 0; c < 3; c++)
      a += ((rgb[i + c] as number) - (bg[c] as number)) * ((fg[c] as number) - (bg[c] as number))
    a /= span
    for (let c = 0; c < 3; c++)
      rgb[i + c] = Math.round((bg[c] as number) + a * ((grey[c] as number) - (bg[c] as number)))
  }
  return rgb
}
const redErased: Generate = (prompt, seed) =>
  Promise.resolve(image(greyed(trueScene(prompt, seed))))

/** Erases only the literal word "red": synonyms and associations still draw red (residue). */
const wordErased: Generate = (prompt, seed) =>
  Promise.resolve(
    image(
      ` ${prompt} `.includes(' red ')
        ? greyed(trueScene(prompt, seed))
        : renderScene(trueScene(prompt, seed)),
    ),
  )

const fixedClock = (): number => 1234

describe('evaluation plan', () => {
  it('crosses prompts with seeds, prompt-major, and honours counts', () => {
    const prompts = evaluationPrompts({ color: 'red' })
    const all = planEvaluation({ color: 'red' }, [5, 6])
    const erasure = all.filter((i) => i.group === 'erasure')
    expect(erasure).toHaveLength(prompts.erasure.length * 2)
    expect(erasure.slice(0, prompts.erasure.length).every((i) => i.seed === 5)).toBe(true)
    expect(new Set(erasure.map((i) => `${i.prompt}|${i.seed}`)).size).toBe(erasure.length)
    expect(all.filter((i) => i.group === 'preserved')).toHaveLength(prompts.preserved.length * 2)
    expect(all.filter((i) => i.group === 'generalization')).toHaveLength(
      prompts.generalization.length * 2,
    )

    const few = planEvaluation({ color: 'red' }, [5, 6], {
      erasure: 3,
      preserved: 1000,
      generalization: prompts.generalization.length + 2,
    })
    expect(few.filter((i) => i.group === 'erasure').map((i) => i.prompt)).toEqual(
      prompts.erasure.slice(0, 3),
    )
    expect(few.filter((i) => i.group === 'preserved')).toHaveLength(prompts.preserved.length * 2)
    const g = few.filter((i) => i.group === 'generalization')
    expect(g.map((i) => i.seed)).toEqual([...prompts.generalization.map(() => 5), 6, 6])
    expect(g.slice(-2).map((i) => i.prompt)).toEqual(prompts.generalization.slice(0, 2))
  })

  it('refuses no seeds, bad seeds and bad counts', () => {
    expect(() => planEvaluation({ color: 'red' }, [])).toThrow(/at least one seed/)
    expect(() => planEvaluation({ color: 'red' }, [-1])).toThrow(RangeError)
    expect(() => planEvaluation({ color: 'red' }, [1], { erasure: 0 })).toThrow(/erasure count/)
    expect(() => planEvaluation({ color: 'red' }, [1], { preserved: 2.5 })).toThrow(
      /preserved count/,
    )
  })
})

describe('evaluateErasure', () => {
  it(
    'measures nothing erased for a perfect model (Acc_e = Acc_s = Acc_g = 1)',
    { timeout: 120_000 },
    async () => {
      const progress: EvaluationProgress[] = []
      const { metrics, items } = await evaluateErasure({
        generate: perfect,
        concept: { color: 'red' },
        seeds: [1, 2],
        classifier: shapeWorldClassifier,
        onProgress: (p) => progress.push(p),
        now: fixedClock,
      })
      expect(metrics).toMatchObject({
        evaluator: 'shapeworld-pixels',
        accE: 1,
        accS: 1,
        accG: 1,
        ho: 0,
        seeds: [1, 2],
        evaluatedAt: 1234,
      })
      expect(metrics.counts).toEqual({
        erasure: items.filter((i) => i.group === 'erasure').length,
        preserved: items.filter((i) => i.group === 'preserved').length,
        generalization: items.filter((i) => i.group === 'generalization').length,
      })
      expect(progress.map((p) => p.step)).toEqual(items.map((_, k) => k + 1))
      expect(progress.at(-1)?.total).toBe(items.length)
    },
  )

  it(
    'measures a full erasure when red turns grey (Acc_e = Acc_g = 0, Acc_s = 1, H_o = 1)',
    { timeout: 120_000 },
    async () => {
      const { metrics, items } = await evaluateErasure({
        generate: redErased,
        concept: { color: 'red' },
        seeds: [3],
        classifier: shapeWorldClassifier,
        now: fixedClock,
      })
      expect(metrics.accE).toBe(0)
      expect(metrics.accS).toBe(1)
      expect(metrics.accG).toBe(0)
      expect(metrics.ho).toBe(1)
      // the greyed shapes are judged an unknown colour, not another palette colour
      expect(
        items.filter((i) => i.group === 'erasure').every((i) => i.classification.color === UNKNOWN),
      ).toBe(true)
    },
  )

  it(
    'shows the residue of erasing only the word (Acc_e = 0 but Acc_g = 1)',
    { timeout: 120_000 },
    async () => {
      const { metrics } = await evaluateErasure({
        generate: wordErased,
        concept: { color: 'red' },
        seeds: [4],
        classifier: shapeWorldClassifier,
        now: fixedClock,
      })
      expect([metrics.accE, metrics.accS, metrics.accG, metrics.ho]).toEqual([0, 1, 1, 0])
    },
  )

  it('evaluates a shape concept with a subset of images', { timeout: 120_000 }, async () => {
    const { metrics } = await evaluateErasure({
      generate: perfect,
      concept: { shape: 'circle' },
      seeds: [7, 8],
      counts: { erasure: 6, preserved: 12, generalization: 9 },
      classifier: shapeWorldClassifier,
      now: fixedClock,
    })
    expect(metrics.counts).toEqual({ erasure: 6, preserved: 12, generalization: 9 })
    expect([metrics.accE, metrics.accS, metrics.accG]).toEqual([1, 1, 1])
  })

  it(
    'is deterministic given the generator, and takes async classifiers',
    { timeout: 120_000 },
    async () => {
      const asyncClassifier: ImageClassifier = {
        name: 'async-shapeworld',
        labels: shapeWorldClassifier.labels,
        classify: async (img) => shapeWorldClassifier.classify(img),
      }
      const run = (): ReturnType<typeof evaluateErasure> =>
        evaluateErasure({
          generate: wordErased,
          concept: { color: 'red' },
          seeds: [9],
          counts: { erasure: 4, preserved: 6, generalization: 8 },
          classifier: asyncClassifier,
          now: fixedClock,
        })
      const [a, b] = [await run(), await run()]
      expect(a).toEqual(b)
      expect(a.metrics.evaluator).toBe('async-shapeworld')
    },
  )

  it('stops at the next image when aborted, with no result', async () => {
    const controller = new AbortController()
    let generated = 0
    const generate: Generate = async (prompt, seed) => {
      generated++
      if (generated === 3) controller.abort(new Error('cancelled by the user'))
      return perfect(prompt, seed)
    }
    await expect(
      evaluateErasure({
        generate,
        concept: { color: 'red' },
        seeds: [1],
        classifier: shapeWorldClassifier,
        signal: controller.signal,
      }),
    ).rejects.toThrow('cancelled by the user')
    expect(generated).toBe(3)
  })

  it('refuses a concept the classifier cannot judge', async () => {
    const colourOnly: ImageClassifier = {
      name: 'colour-only',
      labels: { color: ['red', 'blue'] },
      classify: () => ({ confidence: 0 }),
    }
    await expect(
      evaluateErasure({
        generate: perfect,
        concept: { shape: 'circle' },
        seeds: [1],
        classifier: colourOnly,
      }),
    ).rejects.toThrow(/does not judge shape/)
  })
})
