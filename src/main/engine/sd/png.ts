/**
 * PNG in and out for generated images. Encoding converts the VAE's output the way diffusers'
 * `image_processor.postprocess` + `numpy_to_pil` do: `(x / 2 + 0.5)` clamped to [0, 1], times
 * 255, rounded half to even (numpy's `round`), as 8-bit RGB.
 *
 * The bytes are a pure function of the pixels for a given Node build: pngjs writes no
 * timestamps or text chunks, and the filter choice and zlib settings are fixed here. (A
 * different zlib build could compress differently; the decoded pixels never change.)
 */
import { PNG } from 'pngjs'

export interface PngEncodeOptions {
  /** write an opaque alpha channel (RGBA) instead of RGB; default false */
  alpha?: boolean
}

export interface DecodedPng {
  width: number
  height: number
  /** RGBA, 8 bits per channel, row-major, as pngjs returns it */
  rgba: Buffer
}

/**
 * @param image `[3, height, width]` planar float32, nominally in [-1, 1] (the VAE's output)
 */
export function encodeImagePng(
  image: Float32Array,
  width: number,
  height: number,
  options: PngEncodeOptions = {},
): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`Image size ${width}x${height} must be positive whole numbers.`)
  }
  const plane = width * height
  if (image.length !== 3 * plane) {
    throw new RangeError(
      `Image data has ${image.length} values; a ${width}x${height} RGB image needs ${3 * plane}.`,
    )
  }
  const png = new PNG({ width, height, colorType: options.alpha ? 6 : 2 })
  const data = png.data
  let nonFinite = 0
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) {
      const x = image[c * plane + p] ?? 0
      if (!Number.isFinite(x)) nonFinite++
      data[p * 4 + c] = toByte(x)
    }
    data[p * 4 + 3] = 255
  }
  if (nonFinite > 0) {
    throw new RangeError(
      `The decoded image has ${nonFinite} values that are NaN or infinite; the VAE overflowed ` +
        '(often fp16 on a VAE that needs fp32). Try the fp32 VAE or another execution provider.',
    )
  }
  return PNG.sync.write(png, {
    colorType: options.alpha ? 6 : 2,
    inputColorType: 6,
    inputHasAlpha: true,
    bitDepth: 8,
    deflateLevel: 9,
    deflateStrategy: 3,
    filterType: -1,
  })
}

export function decodePng(buffer: Buffer): DecodedPng {
  const png = PNG.sync.read(buffer)
  return { width: png.width, height: png.height, rgba: png.data }
}

/**
 * [-1, 1] -> 0..255 exactly as diffusers does it (see the module comment), including its
 * float32 arithmetic (`Math.fround` after each operation), so ties round the same way.
 */
export function toByte(x: number): number {
  const unit = Math.min(1, Math.max(0, Math.fround(Math.fround(x / 2) + 0.5)))
  return roundHalfEven(Math.fround(unit * 255))
}

function roundHalfEven(v: number): number {
  const floor = Math.floor(v)
  const diff = v - floor
  if (diff > 0.5) return floor + 1
  if (diff < 0.5) return floor
  return floor % 2 === 0 ? floor : floor + 1
}
