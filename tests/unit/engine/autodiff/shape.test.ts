/**
 * Gradients of the ops that only move elements (Reshape, Transpose, Squeeze, Unsqueeze,
 * Flatten), checked in float64. Each case multiplies the result by a second input so the
 * gradient that flows back is not all ones, and uses shape inputs the way exports do, including
 * a runtime Shape → Gather → Concat sub-graph, which the gradient must not read.
 */
import { describe, expect, it } from 'vitest'
import type { GraphBuilder } from '../../../../src/main/engine/onnx'
import { attr } from '../../../../src/main/engine/onnx'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

type Dims = Readonly<Record<string, readonly number[]>>

async function check(
  opset: number,
  inputs: Dims,
  build: (g: GraphBuilder, x: Readonly<Record<string, string>>) => string,
): Promise<void> {
  const model = testModel('float64', inputs, build, { opset })
  const report = await gradCheck({
    model,
    feeds: randomFeeds('float64', inputs, 5),
    wrt: ['a'],
    output: model.graph?.output[0]?.name ?? '',
    dtype: 'float64',
  })
  expect(report.maxRelError.a).toBeLessThanOrEqual(1e-4)
}

const i64 = (g: GraphBuilder, values: number[]): string =>
  g.initializer(
    BigInt64Array.from(values, (v) => BigInt(v)),
    [values.length],
  )

describe('shape op gradients (float64)', () => {
  it('Reshape with 0 and -1 in the shape', async () => {
    await check(14, { a: [2, 3, 4] }, (g, x) => g.op('Reshape', [x.a ?? '', i64(g, [0, -1, 2])]))
  })

  it('Reshape to a shape computed at run time (Shape → Gather → Concat)', async () => {
    await check(14, { a: [2, 6], b: [3] }, (g, x) => {
      const batch = g.op(
        'Gather',
        [g.op('Shape', [x.a ?? '']), g.initializer(BigInt64Array.of(0n), [])],
        {
          attrs: { axis: attr.int(0) },
        },
      )
      const shape = g.op('Concat', [g.op('Unsqueeze', [batch, i64(g, [0])]), i64(g, [2, 3])], {
        attrs: { axis: attr.int(0) },
      })
      return g.op('Mul', [g.op('Reshape', [x.a ?? '', shape]), x.b ?? ''])
    })
  })

  it.each([
    ['default perm (reverse)', undefined],
    ['perm [1, 2, 0]', [1, 2, 0]],
    ['perm [2, 0, 1]', [2, 0, 1]],
  ] as const)('Transpose, %s', async (_name, perm) => {
    await check(14, { a: [2, 3, 4] }, (g, x) =>
      g.op(
        'Transpose',
        [x.a ?? ''],
        perm === undefined ? {} : { attrs: { perm: attr.ints(perm) } },
      ),
    )
  })

  it('Squeeze and Unsqueeze with axes as inputs (opset 13+)', async () => {
    await check(14, { a: [2, 1, 3] }, (g, x) => {
      const squeezed = g.op('Squeeze', [x.a ?? '', i64(g, [1])])
      return g.op('Unsqueeze', [squeezed, i64(g, [0, 3])])
    })
  })

  it('Squeeze and Unsqueeze with axes as attributes (opset 12)', async () => {
    await check(12, { a: [2, 1, 3] }, (g, x) => {
      const squeezed = g.op('Squeeze', [x.a ?? ''], { attrs: { axes: attr.ints([1]) } })
      const back = g.op('Unsqueeze', [squeezed], { attrs: { axes: attr.ints([-1]) } })
      // A broadcasting Add at opset 12 also exercises ReduceSum with axes as an attribute.
      return g.op('Add', [back, g.initializer(new Float64Array(3 * 5), [1, 3, 5])])
    })
  })

  it('Flatten at axis 2', async () => {
    await check(14, { a: [2, 3, 2, 2] }, (g, x) =>
      g.op('Flatten', [x.a ?? ''], { attrs: { axis: attr.int(2) } }),
    )
  })

  it('the attention head split and merge: Reshape → Transpose → Transpose → Reshape', async () => {
    await check(14, { a: [1, 6, 8], b: [1, 2, 6, 4] }, (g, x) => {
      const heads = g.op('Reshape', [x.a ?? '', i64(g, [0, -1, 2, 4])])
      const split = g.op('Transpose', [heads], { attrs: { perm: attr.ints([0, 2, 1, 3]) } })
      const mixed = g.op('Mul', [split, x.b ?? ''])
      const merged = g.op('Transpose', [mixed], { attrs: { perm: attr.ints([0, 2, 1, 3]) } })
      return g.op('Reshape', [merged, i64(g, [0, -1, 8])])
    })
  })
})
