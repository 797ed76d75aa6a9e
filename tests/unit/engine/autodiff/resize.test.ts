/**
 * Resize (nearest, integer upscaling) gradients against central finite differences, and the
 * refusals for everything else. ONNX Runtime's CPU Resize has no double kernel, so the checks
 * run in float32. Nearest upsampling is linear in x (each output copies one input), so the
 * central difference is exact for any step: with step 0.5 only float32 rounding of the loss is
 * left, a few 1e-6 relative. The bound 2e-4 leaves a wide margin while a block assignment that
 * is off by one element gives errors of order 1. Every element is checked.
 */
import { describe, expect, it } from 'vitest'
import { attr } from '../../../../src/main/engine/onnx'
import type { Attrs, GraphBuilder } from '../../../../src/main/engine/onnx'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

const LINEAR_CHECK = { eps: 0.5, tolerance: 2e-4, samples: 2000 } as const

interface ResizeCase {
  readonly x: readonly number[]
  /** Per-axis factors as the `scales` input, or output sizes as the `sizes` input. */
  readonly scales?: readonly number[]
  readonly sizes?: readonly number[]
  readonly attrs: Attrs
}

function resize(g: GraphBuilder, x: string, c: ResizeCase): string {
  const scales = c.scales === undefined ? '' : g.initializer(Float32Array.from(c.scales), [4])
  const sizes = c.sizes === undefined ? '' : g.initializer(BigInt64Array.from(c.sizes, BigInt), [4])
  const inputs = sizes === '' ? [x, '', scales] : [x, '', '', sizes]
  return g.op('Resize', inputs, { name: 'up', attrs: c.attrs })
}

function resizeModel(c: ResizeCase): ReturnType<typeof testModel> {
  return testModel('float32', { x: c.x }, (g, v) => resize(g, v.x ?? '', c))
}

async function checkResize(c: ResizeCase, seed: number): Promise<void> {
  const model = resizeModel(c)
  await gradCheck({
    model,
    feeds: randomFeeds('float32', { x: c.x }, seed),
    wrt: ['x'],
    output: model.graph?.output[0]?.name ?? '',
    dtype: 'float32',
    ...LINEAR_CHECK,
  })
}

/** SD's upsampler: nearest ×2, asymmetric coordinates, floor. */
const SD_NEAREST = {
  mode: attr.string('nearest'),
  coordinate_transformation_mode: attr.string('asymmetric'),
  nearest_mode: attr.string('floor'),
}

describe('Resize gradient (nearest, integer factors)', () => {
  it('×2 on a non-square input, scales as a constant input (SD Upsample2D)', async () => {
    await checkResize({ x: [2, 3, 3, 5], scales: [1, 1, 2, 2], attrs: SD_NEAREST }, 1)
  })

  it('different factors per axis given as sizes', async () => {
    await checkResize({ x: [1, 2, 3, 4], sizes: [1, 2, 6, 12], attrs: SD_NEAREST }, 2)
  })

  it('the opset-14 default transform (half_pixel, round_prefer_floor) is a block copy too', async () => {
    await checkResize(
      { x: [1, 2, 3, 5], scales: [1, 1, 3, 2], attrs: { mode: attr.string('nearest') } },
      3,
    )
  })

  it('Resize ×2 followed by the 3×3 conv, as in the U-Net', async () => {
    const inputs = { x: [1, 2, 3, 4], w: [3, 2, 3, 3] }
    const model = testModel('float32', inputs, (g, v) => {
      const up = resize(g, v.x ?? '', { x: inputs.x, scales: [1, 1, 2, 2], attrs: SD_NEAREST })
      return g.op('Conv', [up, v.w ?? ''], { attrs: { pads: attr.ints([1, 1, 1, 1]) } })
    })
    await gradCheck({
      model,
      feeds: randomFeeds('float32', inputs, 4),
      wrt: ['x', 'w'],
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float32',
      ...LINEAR_CHECK,
    })
  })
})

describe('Resize gradient refusals', () => {
  const refused = async (c: ResizeCase, message: RegExp): Promise<void> => {
    await expect(checkResize(c, 9)).rejects.toThrow(message)
  }

  it('refuses linear and cubic modes', async () => {
    const attrs = { mode: attr.string('linear') }
    await refused({ x: [1, 1, 2, 3], scales: [1, 1, 2, 2], attrs }, /Resize node up: .*mode linear/)
  })

  it('refuses nearest mappings that are not block copies', async () => {
    const corners = { ...SD_NEAREST, coordinate_transformation_mode: attr.string('align_corners') }
    await refused(
      { x: [1, 1, 3, 3], scales: [1, 1, 2, 2], attrs: corners },
      /Resize node up: .*align_corners/,
    )
    const ceil = { ...SD_NEAREST, nearest_mode: attr.string('round_prefer_ceil') }
    await refused(
      { x: [1, 1, 3, 3], scales: [1, 1, 2, 2], attrs: ceil },
      /Resize node up: .*not a block copy/,
    )
  })

  it('refuses downscaling and non-integer factors', async () => {
    await refused(
      { x: [1, 1, 4, 4], scales: [1, 1, 0.5, 0.5], attrs: SD_NEAREST },
      /Resize node up: .*integer upscaling/,
    )
    await refused(
      { x: [1, 1, 2, 2], scales: [1, 1, 1.5, 1.5], attrs: SD_NEAREST },
      /Resize node up: .*integer upscaling/,
    )
  })
})
