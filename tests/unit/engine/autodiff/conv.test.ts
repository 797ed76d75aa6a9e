/**
 * Conv gradients (rules/conv.ts) against central finite differences, every element of every
 * input checked. ONNX Runtime's CPU provider has Conv and ConvTranspose for float only, so these
 * run in float32.
 *
 * Step and tolerance: Conv is linear in x, in w and in b, so a central difference is exact for
 * any step and only float32 rounding of the forward outputs is left; that noise is divided by
 * the step, so a large step (0.5) makes it small. The largest error seen is 2.6e-5 (relative,
 * with the harness's floor for near-zero elements); 2e-4 leaves room for other CPUs' kernels
 * rounding differently, and a wrong stride, pad, output_padding or group mapping gives errors
 * of order 1.
 */
import { describe, expect, it } from 'vitest'
import { attr } from '../../../../src/main/engine/onnx'
import type { Attrs } from '../../../../src/main/engine/onnx'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

const TOLERANCE = 2e-4
/** More coordinates than any input here has: every element is checked. */
const ALL = 2000

interface ConvCase {
  readonly x: readonly number[]
  readonly w: readonly number[]
  readonly bias: boolean
  readonly attrs: Attrs
}

function convModel(c: ConvCase): {
  model: ReturnType<typeof testModel>
  inputs: Record<string, readonly number[]>
} {
  const inputs: Record<string, readonly number[]> = { x: c.x, w: c.w }
  if (c.bias) inputs.b = [c.w[0] ?? 0]
  const model = testModel('float32', inputs, (g, v) =>
    g.op('Conv', c.bias ? [v.x ?? '', v.w ?? '', v.b ?? ''] : [v.x ?? '', v.w ?? ''], {
      name: 'conv',
      attrs: c.attrs,
    }),
  )
  return { model, inputs }
}

async function checkConv(c: ConvCase, seed: number, samples = ALL): Promise<number[]> {
  const { model, inputs } = convModel(c)
  const report = await gradCheck({
    model,
    feeds: randomFeeds('float32', inputs, seed),
    wrt: Object.keys(inputs),
    output: model.graph?.node[0]?.output[0] ?? '',
    dtype: 'float32',
    tolerance: TOLERANCE,
    samples,
    eps: 0.5,
  })
  const transpose = report.gradient.model.graph?.node.find((n) => n.opType === 'ConvTranspose')
  const outputPadding = transpose?.attribute.find((a) => a.name === 'output_padding')
  return outputPadding?.ints.map(Number) ?? []
}

const strided = { strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) }

describe('Conv gradient', () => {
  it('3×3 stride 2 pad 1 on odd sizes (x, w, bias)', async () => {
    const padding = await checkConv(
      { x: [2, 3, 7, 9], w: [4, 3, 3, 3], bias: true, attrs: strided },
      1,
    )
    expect(padding).toEqual([0, 0])
  })

  it('3×3 stride 2 pad 1 on even and mixed sizes needs output_padding', async () => {
    const padding = await checkConv(
      { x: [1, 3, 8, 7], w: [5, 3, 3, 3], bias: true, attrs: strided },
      2,
    )
    expect(padding).toEqual([1, 0])
  })

  it('3×3 stride 1 pad 1 (the ResNet-block conv)', async () => {
    const attrs = { pads: attr.ints([1, 1, 1, 1]) }
    await checkConv({ x: [2, 2, 5, 6], w: [3, 2, 3, 3], bias: true, attrs }, 3)
  })

  it('stride 1 at the top resolution: dX as a Conv with the weight flipped', async () => {
    // Every dX element depends on the kernel flip and the k − 1 − p pads; 400 per input checked.
    const cases: [number[], Attrs][] = [
      [[1, 2, 32, 32], { pads: attr.ints([1, 1, 1, 1]) }],
      [[1, 2, 32, 33], { pads: attr.ints([0, 2, 1, 0]) }],
      [[1, 3, 40, 30], {}],
    ]
    for (const [x, attrs] of cases) {
      const { model, inputs } = convModel({ x, w: [2, x[1] ?? 0, 3, 3], bias: false, attrs })
      const report = await gradCheck({
        model,
        feeds: randomFeeds('float32', inputs, 5),
        wrt: ['x', 'w'],
        output: model.graph?.node[0]?.output[0] ?? '',
        dtype: 'float32',
        tolerance: TOLERANCE,
        samples: 400,
        eps: 0.5,
      })
      const ops = report.gradient.model.graph?.node.slice(1).map((n) => n.opType) ?? []
      expect(ops).not.toContain('ConvTranspose')
      expect(report.maxRelError.x).toBeLessThanOrEqual(TOLERANCE)
    }
  })

  it('groups with uneven strides, dilations and asymmetric pads', async () => {
    const attrs = {
      group: attr.int(2),
      strides: attr.ints([2, 3]),
      dilations: attr.ints([2, 1]),
      pads: attr.ints([1, 0, 2, 1]),
    }
    await checkConv({ x: [2, 4, 9, 8], w: [6, 2, 3, 2], bias: true, attrs }, 4)
  })

  it('depthwise conv with auto_pad SAME_UPPER and stride 2', async () => {
    const attrs = {
      group: attr.int(3),
      strides: attr.ints([2, 2]),
      auto_pad: attr.string('SAME_UPPER'),
    }
    await checkConv({ x: [1, 3, 5, 6], w: [3, 1, 3, 3], bias: false, attrs }, 5)
  })

  it('1×1 conv and a 1-D conv', async () => {
    await checkConv({ x: [2, 4, 3, 5], w: [2, 4, 1, 1], bias: true, attrs: {} }, 6)
    const attrs = { strides: attr.ints([2]), pads: attr.ints([2, 1]) }
    await checkConv({ x: [2, 3, 10], w: [2, 3, 4], bias: true, attrs }, 7)
  })

  it('the Conv form covers the two highest-resolution levels; lower ones keep ConvTranspose', async () => {
    // 16×16 ─a─ ─down─ 8×8 ─b─ ─down─ 4×4 ─c─: the builder's threshold is 256 / 4 = 64 positions,
    // so a (256) and b (64) get the Conv form, c (16) and the two stride-2 convs ConvTranspose.
    const inputs = { x: [1, 2, 16, 16], a: [2, 2, 3, 3], down1: [2, 2, 3, 3], b: [2, 2, 3, 3], down2: [2, 2, 3, 3], c: [2, 2, 3, 3] }
    const same = { pads: attr.ints([1, 1, 1, 1]) }
    const half = { pads: attr.ints([1, 1, 1, 1]), strides: attr.ints([2, 2]) }
    const model = testModel('float32', inputs, (g, v) => {
      const conv = (x: string, w: string, attrs: Attrs): string => g.op('Conv', [x, v[w] ?? ''], { attrs })
      const top = conv(v.x ?? '', 'a', same)
      const mid = conv(conv(top, 'down1', half), 'b', same)
      return conv(conv(mid, 'down2', half), 'c', same)
    })
    const report = await gradCheck({
      model,
      feeds: randomFeeds('float32', inputs, 9),
      wrt: ['x'],
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float32',
      tolerance: TOLERANCE,
      samples: ALL,
      eps: 0.5,
    })
    expect(report.maxRelError.x).toBeLessThanOrEqual(TOLERANCE)
    const backward = report.gradient.model.graph?.node.slice(model.graph?.node.length ?? 0) ?? []
    const transposed = backward.filter((n) => n.opType === 'ConvTranspose').map((n) => n.input[1])
    expect(transposed.sort()).toEqual(['c', 'down1', 'down2'])
  })
})
