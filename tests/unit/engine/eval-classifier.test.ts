import { describe, expect, it } from 'vitest'
import {
  UNKNOWN,
  assertJudges,
  matches,
  type Classification,
} from '../../../src/main/engine/eval/classifier'
import {
  classifyShapeWorld,
  shapeWorldClassifier,
} from '../../../src/main/engine/eval/shapeworld-classifier'
import {
  BACKGROUNDS,
  COLORS,
  SHAPES,
  createRng,
  renderScene,
  sampleScene,
  type Scene,
} from '../../../src/main/engine/shapeworld/world'
import { addNoise, gaussianBlur } from './eval-degrade'

interface Tally {
  n: number
  color: number
  shape: number
  both: number
  confidence: number
  errors: string[]
}

function measure(
  seed: number,
  n: number,
  draw: (scene: Scene, k: number) => { width: number; rgb: Uint8Array },
): Tally {
  const rng = createRng(seed)
  const tally: Tally = { n, color: 0, shape: 0, both: 0, confidence: 0, errors: [] }
  for (let k = 0; k < n; k++) {
    const scene = sampleScene(rng)
    const { width, rgb } = draw(scene, k)
    const result = classifyShapeWorld({ width, height: width, rgb })
    if (result.color === scene.color) tally.color++
    if (result.shape === scene.shape) tally.shape++
    if (result.color === scene.color && result.shape === scene.shape) tally.both++
    else tally.errors.push(`${JSON.stringify(scene)} → ${result.color}/${result.shape}`)
    tally.confidence += result.confidence / n
  }
  return tally
}

function report(label: string, t: Tally): void {
  console.info(
    `[shapeworld-pixels] ${label}: ${t.n} scenes, colour ${((100 * t.color) / t.n).toFixed(2)} %, ` +
      `shape ${((100 * t.shape) / t.n).toFixed(2)} %, both ${((100 * t.both) / t.n).toFixed(2)} %, ` +
      `mean confidence ${t.confidence.toFixed(3)}${t.errors.length > 0 ? `; errors: ${t.errors.slice(0, 5).join('; ')}` : ''}`,
  )
}

describe('ShapeWorld pixel classifier: accuracy', () => {
  it(
    'judges ≥ 99 % of 1,200 seeded world renderings right (colour and shape)',
    { timeout: 300_000 },
    () => {
      const t = measure(20_26, 1200, (scene) => ({ width: 64, rgb: renderScene(scene) }))
      report('clean 64×64', t)
      expect(t.both / t.n).toBeGreaterThanOrEqual(0.99)
      expect(t.confidence).toBeGreaterThan(0.5)
    },
  )

  it('covers every colour × shape × background combination', { timeout: 120_000 }, () => {
    const rng = createRng(31)
    let right = 0
    let total = 0
    for (const c of COLORS) {
      for (const s of SHAPES) {
        for (const b of BACKGROUNDS) {
          for (const size of [14, 24]) {
            const scene = {
              ...sampleScene(rng),
              color: c.name,
              shape: s.name,
              background: b.name,
              size,
              cx: 32,
              cy: 32,
            }
            const result = classifyShapeWorld({ width: 64, height: 64, rgb: renderScene(scene) })
            total++
            if (result.color === c.name && result.shape === s.name) right++
          }
        }
      }
    }
    expect(total).toBe(COLORS.length * SHAPES.length * BACKGROUNDS.length * 2)
    expect(right).toBe(total)
  })

  it('judges larger renderings (128 and 192 px, resampled to 64)', { timeout: 120_000 }, () => {
    const t = measure(44, 300, (scene, k) => {
      const side = k % 2 === 0 ? 128 : 192
      return { width: side, rgb: renderScene(scene, side) }
    })
    report('clean 128/192 px', t)
    expect(t.both / t.n).toBeGreaterThanOrEqual(0.99)
  })
})

describe('ShapeWorld pixel classifier: imperfect images', () => {
  it('stays right under Gaussian noise (σ = 20 and 40 levels)', { timeout: 120_000 }, () => {
    const mild = measure(50, 300, (scene, k) => ({
      width: 64,
      rgb: addNoise(renderScene(scene), 20, k),
    }))
    const strong = measure(51, 200, (scene, k) => ({
      width: 64,
      rgb: addNoise(renderScene(scene), 40, k),
    }))
    report('noise σ=20', mild)
    report('noise σ=40', strong)
    expect(mild.both / mild.n).toBeGreaterThanOrEqual(0.98)
    expect(strong.both / strong.n).toBeGreaterThanOrEqual(0.95)
  })

  it(
    'stays right under a Gaussian blur (σ = 1 px, and blur plus noise)',
    { timeout: 120_000 },
    () => {
      const blurred = measure(60, 300, (scene) => ({
        width: 64,
        rgb: gaussianBlur(renderScene(scene), 64, 1),
      }))
      const both = measure(61, 200, (scene, k) => ({
        width: 64,
        rgb: addNoise(gaussianBlur(renderScene(scene), 64, 1), 20, k),
      }))
      report('blur σ=1', blurred)
      report('blur σ=1 + noise σ=20', both)
      expect(blurred.both / blurred.n).toBeGreaterThanOrEqual(0.98)
      expect(both.both / both.n).toBeGreaterThanOrEqual(0.95)
    },
  )

  it('is less confident on degraded images than on clean ones', { timeout: 120_000 }, () => {
    const clean = measure(70, 100, (scene) => ({ width: 64, rgb: renderScene(scene) }))
    const degraded = measure(70, 100, (scene, k) => ({
      width: 64,
      rgb: addNoise(gaussianBlur(renderScene(scene), 64, 1.5), 30, k),
    }))
    expect(degraded.confidence).toBeLessThan(clean.confidence)
  })
})

describe('ShapeWorld pixel classifier: no clear foreground', () => {
  const plain = (rgb: readonly [number, number, number]): Uint8Array => {
    const out = new Uint8Array(64 * 64 * 3)
    for (let i = 0; i < 64 * 64; i++) out.set(rgb, i * 3)
    return out
  }
  const expectUnknown = (result: Classification): void => {
    expect(result.color).toBe(UNKNOWN)
    expect(result.shape).toBe(UNKNOWN)
    expect(result.confidence).toBe(0)
  }

  it('says unknown for an empty background, clean or noisy', () => {
    for (const b of BACKGROUNDS) {
      expectUnknown(classifyShapeWorld({ width: 64, height: 64, rgb: plain(b.rgb) }))
      expectUnknown(
        classifyShapeWorld({ width: 64, height: 64, rgb: addNoise(plain(b.rgb), 25, 3) }),
      )
    }
  })

  it('says unknown for a speck too small to be a shape', () => {
    const rgb = plain([255, 255, 255])
    for (let y = 30; y < 35; y++)
      for (let x = 30; x < 35; x++) rgb.set([220, 30, 30], (y * 64 + x) * 3)
    expectUnknown(classifyShapeWorld({ width: 64, height: 64, rgb }))
  })

  it('says unknown for pure noise (no background to speak of)', () => {
    const rng = createRng(8)
    const rgb = Uint8Array.from({ length: 64 * 64 * 3 }, () => Math.floor(rng.next() * 256))
    const result = classifyShapeWorld({ width: 64, height: 64, rgb })
    expect(result.confidence).toBeLessThan(0.1)
    expect([result.color, result.shape]).toContain(UNKNOWN)
  })

  it('gives the shape but an unknown colour for a grey shape', () => {
    const scene: Scene = {
      shape: 'triangle',
      color: 'red',
      size: 20,
      cx: 32,
      cy: 32,
      background: 'white',
    }
    const rgb = renderScene(scene)
    // recolour the shape's pixels to grey (shade kept by luminance so edges stay soft)
    for (let i = 0; i < rgb.length; i += 3) {
      const white = rgb[i] === 255 && rgb[i + 1] === 255 && rgb[i + 2] === 255
      if (!white) {
        const t = (255 - (rgb[i + 1] as number)) / (255 - 30)
        rgb.fill(Math.round(255 - t * (255 - 110)), i, i + 3)
      }
    }
    const result = classifyShapeWorld({ width: 64, height: 64, rgb })
    expect(result.color).toBe(UNKNOWN)
    expect(result.colorConfidence).toBe(0)
    expect(result.shape).toBe('triangle')
  })

  it('rejects malformed images', () => {
    expect(() => classifyShapeWorld({ width: 64, height: 64, rgb: new Uint8Array(10) })).toThrow(
      RangeError,
    )
    expect(() => classifyShapeWorld({ width: 0, height: 64, rgb: new Uint8Array(0) })).toThrow(
      RangeError,
    )
  })
})

describe('classifier interface', () => {
  it('names its labels and matches concepts attribute by attribute', () => {
    expect(shapeWorldClassifier.name).toBe('shapeworld-pixels')
    expect(shapeWorldClassifier.labels.color).toEqual(COLORS.map((c) => c.name))
    expect(shapeWorldClassifier.labels.shape).toEqual(SHAPES.map((s) => s.name))
    const judged: Classification = { color: 'red', shape: 'circle', confidence: 0.9 }
    expect(matches(judged, { color: 'red' })).toBe(true)
    expect(matches(judged, { shape: 'circle' })).toBe(true)
    expect(matches(judged, { color: 'red', shape: 'square' })).toBe(false)
    expect(matches(judged, {})).toBe(false)
    expect(matches({ color: UNKNOWN, confidence: 0 }, { color: 'red' })).toBe(false)
    expect(() => assertJudges(shapeWorldClassifier, { color: 'red', shape: 'star' })).not.toThrow()
    expect(() => assertJudges(shapeWorldClassifier, { color: 'magenta' })).toThrow(
      /no color label 'magenta'/,
    )
    const colourOnly = {
      name: 'colour-only',
      labels: { color: ['red'] },
      classify: () => ({ confidence: 0 }),
    }
    expect(() => assertJudges(colourOnly, { shape: 'circle' })).toThrow(/does not judge shape/)
  })
})
