/**
 * InstanceNormalization (alone and in the exporters' GroupNorm pattern) and LayerNormalization
 * gradients against central finite differences, every element checked.
 *
 * LayerNormalization has a double kernel, so it is checked in float64 at the 1e-4 bound (errors
 * seen ~2e-8). InstanceNormalization is float-only on ONNX Runtime's CPU provider, so it runs in
 * float32, where the normalization's curvature and rounding pull the step in opposite
 * directions: measured worst errors for dx are 4.5e-3 at step 3e-3 (rounding of the ~1e-6
 * float32 loss noise, divided by the step), 2.7e-4 at 3e-2, and 3.3e-3 at 1e-1 (truncation,
 * O(step²)). At 3e-2 a tolerance of 2e-3 keeps a 7× margin; a wrong axis, a missing mean term or
 * a missing 1/σ gives errors of order 1. The formula itself is the one LayerNormalization uses
 * (same helpers), and that one is held to 1e-4 in float64.
 */
import { describe, it } from 'vitest'
import { attr } from '../../../../src/main/engine/onnx'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

/** More coordinates than any input here has: every element is checked. */
const ALL = 2000
/** Step and bound for the float32 InstanceNormalization checks (see above). */
const F32 = { eps: 3e-2, tolerance: 2e-3 } as const

describe('InstanceNormalization gradient', () => {
  it('x, scale and bias', async () => {
    const inputs = { x: [2, 3, 4, 5], scale: [3], bias: [3] }
    const model = testModel('float32', inputs, (g, v) =>
      g.op('InstanceNormalization', [v.x ?? '', v.scale ?? '', v.bias ?? ''], {
        attrs: { epsilon: attr.float(1e-5) },
      }),
    )
    await gradCheck({
      model,
      feeds: randomFeeds('float32', inputs, 11),
      wrt: ['x', 'scale', 'bias'],
      output: model.graph?.node[0]?.output[0] ?? '',
      dtype: 'float32',
      samples: ALL,
      ...F32,
    })
  })

  it('the GroupNorm pattern: Reshape → InstanceNormalization → Reshape → Mul → Add', async () => {
    const [n, c, h, w, groups] = [2, 6, 3, 5, 3]
    const inputs = { x: [n, c, h, w], gamma: [c, 1, 1], beta: [c, 1, 1] }
    const model = testModel('float32', inputs, (g, v) => {
      const grouped = g.op('Reshape', [
        v.x ?? '',
        g.initializer(BigInt64Array.of(BigInt(n), BigInt(groups), -1n), [3]),
      ])
      const ones = g.initializer(new Float32Array(groups).fill(1), [groups])
      const zeros = g.initializer(new Float32Array(groups), [groups])
      const normed = g.op('InstanceNormalization', [grouped, ones, zeros], {
        attrs: { epsilon: attr.float(1e-5) },
      })
      const shape = g.initializer(BigInt64Array.from([n, c, h, w], BigInt), [4])
      const back = g.op('Reshape', [normed, shape])
      return g.op('Add', [g.op('Mul', [back, v.gamma ?? '']), v.beta ?? ''])
    })
    await gradCheck({
      model,
      feeds: randomFeeds('float32', inputs, 12),
      wrt: ['x', 'gamma', 'beta'],
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float32',
      samples: ALL,
      ...F32,
    })
  })
})

describe('LayerNormalization gradient (opset 17)', () => {
  it('over the last axis: x, scale and bias', async () => {
    const inputs = { x: [2, 3, 5], scale: [5], bias: [5] }
    const model = testModel(
      'float64',
      inputs,
      (g, v) => g.op('LayerNormalization', [v.x ?? '', v.scale ?? '', v.bias ?? '']),
      { opset: 17 },
    )
    await gradCheck({
      model,
      feeds: randomFeeds('float64', inputs, 13),
      wrt: ['x', 'scale', 'bias'],
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float64',
      samples: ALL,
    })
  })

  it('over the last two axes (axis 1), no bias, epsilon 1e-3', async () => {
    const inputs = { x: [2, 3, 4], scale: [3, 4] }
    const model = testModel(
      'float64',
      inputs,
      (g, v) =>
        g.op('LayerNormalization', [v.x ?? '', v.scale ?? ''], {
          attrs: { axis: attr.int(1), epsilon: attr.float(1e-3) },
        }),
      { opset: 17 },
    )
    await gradCheck({
      model,
      feeds: randomFeeds('float64', inputs, 14),
      wrt: ['x', 'scale'],
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float64',
      samples: ALL,
    })
  })
})
