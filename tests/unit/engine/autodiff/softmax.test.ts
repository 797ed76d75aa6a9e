/**
 * Softmax gradient against central finite differences in float64 (Softmax and the Mul/Sub/
 * ReduceSum the rule emits all have double kernels), every element checked.
 */
import { describe, it } from 'vitest'
import { attr } from '../../../../src/main/engine/onnx'
import type { Attrs } from '../../../../src/main/engine/onnx'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

async function checkSoftmax(
  shape: readonly number[],
  attrs: Attrs,
  opset: number,
  seed: number,
): Promise<void> {
  const inputs = { x: shape }
  const model = testModel('float64', inputs, (g, v) => g.op('Softmax', [v.x ?? ''], { attrs }), {
    opset,
  })
  await gradCheck({
    model,
    feeds: randomFeeds('float64', inputs, seed),
    wrt: ['x'],
    output: model.graph?.output[0]?.name ?? '',
    dtype: 'float64',
    samples: 200,
  })
}

describe('Softmax gradient', () => {
  it('default axis (−1) at opset 13+', async () => {
    await checkSoftmax([2, 3, 5], {}, 14, 1)
  })

  it('a middle axis and a leading axis', async () => {
    await checkSoftmax([2, 3, 5], { axis: attr.int(1) }, 14, 2)
    await checkSoftmax([4, 3], { axis: attr.int(-2) }, 13, 3)
  })

  it('opset 11 semantics: normalized jointly over every axis from `axis` on', async () => {
    await checkSoftmax([2, 3, 4], {}, 11, 4)
    await checkSoftmax([2, 3, 4], { axis: attr.int(2) }, 11, 5)
  })

  it('inside torch-1 attention: MatMul → Mul(scale) → Softmax → MatMul', async () => {
    const inputs = { q: [2, 4, 3], k: [2, 3, 5], v: [2, 5, 3] }
    const model = testModel('float64', inputs, (g, x) => {
      const scores = g.op('MatMul', [x.q ?? '', x.k ?? ''])
      const scale = g.initializer(Float64Array.of(1 / Math.sqrt(3)), [])
      const probs = g.op('Softmax', [g.op('Mul', [scores, scale])], {
        attrs: { axis: attr.int(-1) },
      })
      return g.op('MatMul', [probs, x.v ?? ''])
    })
    await gradCheck({
      model,
      feeds: randomFeeds('float64', inputs, 6),
      wrt: ['q', 'k', 'v'],
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float64',
      samples: 200,
    })
  })
})
