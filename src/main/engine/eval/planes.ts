/**
 * Float working copies of an RGB image for pixel classifiers: resampling to a fixed side by area
 * averaging (exact for whole-number ratios such as 512 → 64, and a light denoise), and a 3×3
 * box filter.
 */
import type { RgbImage } from './classifier'

/** Three float planes (R, G, B), `side`×`side`, row-major, values in 0..255. */
export interface Planes {
  side: number
  channels: readonly [Float32Array, Float32Array, Float32Array]
}

/** Weights of source cells [0, from) that overlap each of `to` output cells (area averaging). */
function overlapWeights(from: number, to: number): { start: number; weights: number[] }[] {
  const out: { start: number; weights: number[] }[] = []
  const step = from / to
  for (let o = 0; o < to; o++) {
    const a = o * step
    const b = (o + 1) * step
    const start = Math.floor(a)
    const weights: number[] = []
    for (let s = start; s < Math.min(from, Math.ceil(b)); s++) {
      weights.push((Math.min(b, s + 1) - Math.max(a, s)) / step)
    }
    out.push({ start, weights })
  }
  return out
}

/** The image resampled to `side`×`side` by area averaging (non-square images are stretched). */
export function toPlanes(image: RgbImage, side: number): Planes {
  const { width, height, rgb } = image
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`Image size ${width}×${height} is not valid.`)
  }
  if (rgb.length !== width * height * 3) {
    throw new RangeError(
      `Image of ${width}×${height} needs ${width * height * 3} bytes, got ${rgb.length}.`,
    )
  }
  const xs = overlapWeights(width, side)
  const ys = overlapWeights(height, side)
  const plane = (c: number): Float32Array => {
    // horizontal pass (height × side), then vertical pass (side × side)
    const rows = new Float32Array(height * side)
    for (let y = 0; y < height; y++) {
      xs.forEach(({ start, weights }, o) => {
        let sum = 0
        weights.forEach((w, k) => (sum += w * (rgb[(y * width + start + k) * 3 + c] as number)))
        rows[y * side + o] = sum
      })
    }
    const out = new Float32Array(side * side)
    ys.forEach(({ start, weights }, o) => {
      for (let x = 0; x < side; x++) {
        let sum = 0
        weights.forEach((w, k) => (sum += w * (rows[(start + k) * side + x] as number)))
        out[o * side + x] = sum
      }
    })
    return out
  }
  const channels = [plane(0), plane(1), plane(2)] as const
  return { side, channels }
}

/** 3×3 box filter of one plane (edges average the pixels that exist). */
export function boxBlur3(plane: Float32Array, side: number): Float32Array {
  const out = new Float32Array(plane.length)
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let sum = 0
      let n = 0
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy
        if (yy < 0 || yy >= side) continue
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx
          if (xx < 0 || xx >= side) continue
          sum += plane[yy * side + xx] as number
          n++
        }
      }
      out[y * side + x] = sum / n
    }
  }
  return out
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}
