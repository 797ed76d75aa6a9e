import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { unitArea } from '../../../src/main/engine/shapeworld/geometry'
import {
  BACKGROUNDS,
  COLORS,
  MAX_RADIUS,
  MIN_RADIUS,
  SHAPES,
  backgroundSpec,
  colorSpec,
  createRng,
  renderScene,
  sampleScene,
  type Scene,
} from '../../../src/main/engine/shapeworld/world'

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** Sum of the coverage implied by each pixel's blend between background and shape colour. */
function coveredArea(scene: Scene, rgb: Uint8Array): number {
  const fg = colorSpec(scene.color).rgb
  const bg = backgroundSpec(scene.background).rgb
  // the channel with the largest contrast gives the most precise coverage
  const c = [0, 1, 2].reduce((a, b) =>
    Math.abs(fg[b]! - bg[b]!) > Math.abs(fg[a]! - bg[a]!) ? b : a,
  )
  let area = 0
  for (let i = 0; i < rgb.length / 3; i++) area += (rgb[i * 3 + c]! - bg[c]!) / (fg[c]! - bg[c]!)
  return area
}

describe('ShapeWorld scenes', () => {
  it('pins the first scene and image of seed 1 (the seed promise)', () => {
    const scene = sampleScene(createRng(1))
    expect(scene).toEqual({
      shape: 'diamond',
      color: 'purple',
      size: 23,
      cx: 26,
      cy: 34,
      background: 'beige',
    })
    expect(sha256(renderScene(scene))).toBe(
      '324bd7413efcf3017aeed3ac9a5670eab76a326185b3bf8ac5665689d3c0469a',
    )
  })

  it('gives the same scenes and bytes for the same seed, other ones for another seed', () => {
    const draw = (seed: number): string[] => {
      const rng = createRng(seed)
      return Array.from({ length: 20 }, () => sha256(renderScene(sampleScene(rng))))
    }
    expect(draw(77)).toEqual(draw(77))
    expect(new Set([...draw(77), ...draw(78)]).size).toBeGreaterThan(35)
  })

  it('keeps every sampled shape inside the image, on its background, with the promised radius', () => {
    const rng = createRng(5)
    const seen = {
      shape: new Set<string>(),
      color: new Set<string>(),
      background: new Set<string>(),
      size: new Set<number>(),
    }
    for (let k = 0; k < 400; k++) {
      const scene = sampleScene(rng)
      seen.shape.add(scene.shape)
      seen.color.add(scene.color)
      seen.background.add(scene.background)
      seen.size.add(scene.size)
      expect(scene.size).toBeGreaterThanOrEqual(MIN_RADIUS)
      expect(scene.size).toBeLessThanOrEqual(MAX_RADIUS)
      expect(scene.cx - scene.size).toBeGreaterThanOrEqual(1)
      expect(scene.cx + scene.size).toBeLessThanOrEqual(63)
      expect(scene.cy - scene.size).toBeGreaterThanOrEqual(1)
      expect(scene.cy + scene.size).toBeLessThanOrEqual(63)
      const rgb = renderScene(scene)
      const bg = backgroundSpec(scene.background).rgb
      for (let i = 0; i < 64; i++) {
        for (const p of [i, 63 * 64 + i, i * 64, i * 64 + 63]) {
          expect([rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2]]).toEqual([...bg])
        }
      }
    }
    expect(seen.shape.size).toBe(SHAPES.length)
    expect(seen.color.size).toBe(COLORS.length)
    expect(seen.background.size).toBe(BACKGROUNDS.length)
    expect(seen.size.size).toBe(MAX_RADIUS - MIN_RADIUS + 1)
  })

  it('honours a shape and colour constraint', () => {
    const rng = createRng(9)
    for (let k = 0; k < 50; k++) {
      const scene = sampleScene(rng, { shape: 'star', color: 'blue' })
      expect([scene.shape, scene.color]).toEqual(['star', 'blue'])
    }
    expect(sampleScene(createRng(3), { color: 'red' }).color).toBe('red')
  })

  it('draws each shape with the area of its outline, at 64 and at 128 pixels', () => {
    for (const { name } of SHAPES) {
      const scene: Scene = {
        shape: name,
        color: 'red',
        size: 20,
        cx: 32,
        cy: 32,
        background: 'white',
      }
      const ideal = unitArea(name) * 20 * 20
      // 4×4 sub-samples quantise each edge pixel's coverage to 1/16
      const at64 = coveredArea(scene, renderScene(scene)) / ideal
      const at128 = coveredArea(scene, renderScene(scene, 128)) / (4 * ideal)
      expect(Math.abs(at64 - 1)).toBeLessThan(0.02)
      expect(Math.abs(at128 - 1)).toBeLessThan(0.02)
    }
  })

  it('makes the shapes differ from one another at the same place', () => {
    const base = { color: 'green', size: 16, cx: 30, cy: 30, background: 'black' } as const
    const hashes = SHAPES.map((s) => sha256(renderScene({ ...base, shape: s.name })))
    expect(new Set(hashes).size).toBe(SHAPES.length)
  })

  it('refuses a bad image size', () => {
    const scene = sampleScene(createRng(1))
    expect(() => renderScene(scene, 0)).toThrow(RangeError)
    expect(() => renderScene(scene, 10.5)).toThrow(RangeError)
  })
})
