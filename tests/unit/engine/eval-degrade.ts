/** Image degradations for classifier robustness tests: seeded Gaussian noise and Gaussian blur. */
import { createNoiseSource } from '../../../src/main/engine/sd/noise'

const clampByte = (v: number): number => Math.max(0, Math.min(255, Math.round(v)))

/** Adds N(0, sigma²) to every channel of every pixel (seeded), clamped to bytes. */
export function addNoise(rgb: Uint8Array, sigma: number, seed: number): Uint8Array {
  const noise = createNoiseSource(seed).normal(rgb.length)
  return Uint8Array.from(rgb, (v, i) => clampByte(v + sigma * (noise[i] as number)))
}

/** Separable Gaussian blur of a side×side RGB image (edges clamped). */
export function gaussianBlur(rgb: Uint8Array, side: number, sigma: number): Uint8Array {
  const reach = Math.ceil(3 * sigma)
  const kernel: number[] = []
  for (let i = -reach; i <= reach; i++) kernel.push(Math.exp(-(i * i) / (2 * sigma * sigma)))
  const total = kernel.reduce((a, b) => a + b, 0)
  const pass = (src: Float32Array, horizontal: boolean): Float32Array => {
    const out = new Float32Array(src.length)
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0
          for (let i = -reach; i <= reach; i++) {
            const xx = horizontal ? Math.max(0, Math.min(side - 1, x + i)) : x
            const yy = horizontal ? y : Math.max(0, Math.min(side - 1, y + i))
            sum += (kernel[i + reach] as number) * (src[(yy * side + xx) * 3 + c] as number)
          }
          out[(y * side + x) * 3 + c] = sum / total
        }
      }
    }
    return out
  }
  return Uint8Array.from(pass(pass(Float32Array.from(rgb), true), false), clampByte)
}
