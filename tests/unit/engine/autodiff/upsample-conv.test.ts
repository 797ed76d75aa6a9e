/**
 * SD's upsampler backward (Resize ×2 → Conv 3×3, upsample-conv.ts): the fused strided Conv
 * against central finite differences, and where the plain rules apply instead. Conv and Resize
 * have float kernels only in ONNX Runtime's CPU provider, so the checks run in float32. The
 * graph is linear in x and in w, so the central difference with step 0.5 is exact up to float32
 * rounding of the loss (a few 1e-6 relative); 2e-4 leaves a wide margin, while a tap folded onto
 * the wrong position or an off-by-one pad gives errors of order 1. 16×16 inputs make the conv
 * run on 32×32 = 1024 positions, the least where the fused form applies.
 */
import { describe, expect, it } from 'vitest'
import type { ModelProto } from 'onnx-buf'
import { attr } from '../../../../src/main/engine/onnx'
import type { GraphBuilder } from '../../../../src/main/engine/onnx'
import { buildGradientModel } from '../../../../src/main/engine/onnx/autodiff/build-gradient'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

const CHECK = { eps: 0.5, tolerance: 2e-4, samples: 400, dtype: 'float32' } as const

function upsampler(
  g: GraphBuilder,
  x: string,
  w: string,
  b: string | null,
): { up: string; y: string } {
  const scales = g.initializer(Float32Array.from([1, 1, 2, 2]), [4])
  const up = g.op('Resize', [x, '', scales], {
    name: 'up',
    attrs: {
      mode: attr.string('nearest'),
      coordinate_transformation_mode: attr.string('asymmetric'),
      nearest_mode: attr.string('floor'),
    },
  })
  const y = g.op('Conv', b === null ? [up, w] : [up, w, b], {
    name: 'conv',
    attrs: { pads: attr.ints([1, 1, 1, 1]) },
  })
  return { up, y }
}

async function convsOf(model: ModelProto, wrt: string[]): Promise<string[]> {
  const feeds = randomFeeds('float32', { x: [1, 2, 16, 16], w: [3, 2, 3, 3] }, 1)
  const gm = await buildGradientModel(model, {
    wrt,
    loss: { kind: 'weighted-sum', output: model.graph?.output[0]?.name ?? '', weightInput: 'dy' },
    probeFeeds: feeds,
  })
  return (gm.model.graph?.node ?? [])
    .filter((n) => n.name.startsWith('grad/') && n.opType.startsWith('Conv'))
    .map((n) => {
      const strides = n.attribute.find((a) => a.name === 'strides')?.ints.map(Number) ?? [1, 1]
      return `${n.opType}/${strides.join('x')}`
    })
}

describe('upsampler backward: Resize ×2 → Conv 3×3 as one strided Conv', () => {
  it('gives the finite-difference gradients of x, w and b', async () => {
    const inputs = { x: [2, 2, 16, 17], w: [3, 2, 3, 3], b: [3] }
    const model = testModel(
      'float32',
      inputs,
      (g, v) => upsampler(g, v.x ?? '', v.w ?? '', v.b ?? '').y,
    )
    await gradCheck({
      model,
      feeds: randomFeeds('float32', inputs, 2),
      wrt: ['x', 'w', 'b'],
      output: model.graph?.output[0]?.name ?? '',
      ...CHECK,
    })
  })

  it('emits the stride-2 Conv for dx and no Resize backward', async () => {
    const inputs = { x: [1, 2, 16, 16], w: [3, 2, 3, 3] }
    const model = testModel('float32', inputs, (g, v) => upsampler(g, v.x ?? '', v.w ?? '', null).y)
    // dx: one stride-2 Conv; dW: the plain rule's Conv (stride 1).
    expect((await convsOf(model, ['x'])).sort()).toEqual(['Conv/2x2'])
    expect((await convsOf(model, ['x', 'w'])).sort()).toEqual(['Conv/1x1', 'Conv/2x2'])
  })

  it('keeps the plain rules when the upsampled value has a second reader', async () => {
    const inputs = { x: [1, 2, 16, 16], w: [3, 2, 3, 3] }
    const model = testModel('float32', inputs, (g, v) => {
      const { up, y } = upsampler(g, v.x ?? '', v.w ?? '', null)
      const side = g.op('ReduceSum', [up], { attrs: { keepdims: attr.int(0) } })
      const flat = g.op('ReduceSum', [y], { attrs: { keepdims: attr.int(0) } })
      return g.op('Add', [flat, side])
    })
    expect(await convsOf(model, ['x'])).toEqual(['Conv/1x1'])
    await gradCheck({
      model,
      feeds: randomFeeds('float32', inputs, 3),
      wrt: ['x'],
      output: model.graph?.output[0]?.name ?? '',
      ...CHECK,
    })
  })
})
