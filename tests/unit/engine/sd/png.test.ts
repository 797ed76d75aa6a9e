import { describe, expect, it } from 'vitest'
import { decodePng, encodeImagePng, toByte } from '../../../../src/main/engine/sd/png'

/** A [3, H, W] test card in [-1, 1]: red ramps across, green down, blue checker. */
function testCard(width: number, height: number): Float32Array {
  const plane = width * height
  const img = new Float32Array(3 * plane)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x
      img[p] = (2 * x) / (width - 1) - 1
      img[plane + p] = (2 * y) / (height - 1) - 1
      img[2 * plane + p] = (x + y) % 2 ? 1 : -1
    }
  }
  return img
}

describe('encodeImagePng', () => {
  it('round-trips pixels through the diffusers conversion', () => {
    const w = 16
    const h = 8
    const img = testCard(w, h)
    const { width, height, rgba } = decodePng(encodeImagePng(img, w, h))
    expect([width, height]).toEqual([w, h])
    for (let p = 0; p < w * h; p++) {
      for (let c = 0; c < 3; c++) expect(rgba[p * 4 + c]).toBe(toByte(img[c * w * h + p] ?? 0))
      expect(rgba[p * 4 + 3]).toBe(255)
    }
    // corners: (0,0) red -1 -> 0, green -1 -> 0, blue -1 -> 0; (15,7) all +1 -> 255 except blue
    expect(Array.from(rgba.subarray(0, 4))).toEqual([0, 0, 0, 255])
    const last = (w * h - 1) * 4
    expect(Array.from(rgba.subarray(last, last + 4))).toEqual([255, 255, 0, 255])
  })

  it('writes byte-identical files for identical images', () => {
    const img = testCard(32, 32)
    const a = encodeImagePng(img, 32, 32)
    const b = encodeImagePng(Float32Array.from(img), 32, 32)
    expect(a.equals(b)).toBe(true)
    expect(a.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))
    expect(a[25]).toBe(2) // IHDR colour type: RGB
  })

  it('writes RGBA when asked', () => {
    const png = encodeImagePng(testCard(4, 4), 4, 4, { alpha: true })
    expect(png[25]).toBe(6)
    expect(decodePng(png).rgba[3]).toBe(255)
  })

  it('clamps, scales by 255 and rounds half to even like numpy', () => {
    expect(toByte(-1)).toBe(0)
    expect(toByte(1)).toBe(255)
    expect(toByte(-3)).toBe(0)
    expect(toByte(7)).toBe(255)
    expect(toByte(0)).toBe(128) // 0.5 · 255 = 127.5 -> 128 (even)
    // float32 inputs whose float32 (x/2 + 0.5)·255 is exactly 64.5 and 65.5: ties go to even
    expect(toByte(-0.4941175878047943)).toBe(64)
    expect(toByte(-0.48627445101737976)).toBe(66)
  })

  it('rejects wrong sizes and NaN output with a useful message', () => {
    expect(() => encodeImagePng(new Float32Array(10), 2, 2)).toThrow(/needs 12/)
    expect(() => encodeImagePng(new Float32Array(0), 0, 2)).toThrow(/positive whole numbers/)
    const nan = testCard(2, 2)
    nan[1] = Number.NaN
    expect(() => encodeImagePng(nan, 2, 2)).toThrow(/NaN or infinite/)
  })
})
