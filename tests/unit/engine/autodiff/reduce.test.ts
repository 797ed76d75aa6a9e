/**
 * ReduceSum and ReduceMean gradients against central finite differences in float64 (both have
 * double kernels, as do the Reshape/Expand/Mul the rule emits), every element checked, across
 * the opsets that move `axes` from attribute to input (ReduceSum 13, ReduceMean 18).
 */
import { describe, it } from 'vitest'
import { attr } from '../../../../src/main/engine/onnx'
import type { Attrs } from '../../../../src/main/engine/onnx'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

interface ReduceCase {
  readonly op: 'ReduceSum' | 'ReduceMean'
  readonly opset: number
  /** Axes as an int64 input (the modern form); omit for none. */
  readonly axesInput?: readonly number[]
  readonly attrs?: Attrs
}

const X = [2, 3, 5]

async function checkReduce(c: ReduceCase, seed: number): Promise<void> {
  const inputs = { x: X }
  const model = testModel(
    'float64',
    inputs,
    (g, v) => {
      const args = [v.x ?? '']
      if (c.axesInput !== undefined) {
        args.push(g.initializer(BigInt64Array.from(c.axesInput, BigInt), [c.axesInput.length]))
      }
      return g.op(c.op, args, c.attrs === undefined ? {} : { attrs: c.attrs })
    },
    { opset: c.opset },
  )
  await gradCheck({
    model,
    feeds: randomFeeds('float64', inputs, seed),
    wrt: ['x'],
    output: model.graph?.output[0]?.name ?? '',
    dtype: 'float64',
    samples: 100,
  })
}

const keep = (k: 0 | 1): Attrs => ({ keepdims: attr.int(k) })

describe('ReduceSum gradient', () => {
  it('axes attribute (opset 11), keepdims 1 and 0', async () => {
    await checkReduce({ op: 'ReduceSum', opset: 11, attrs: { axes: attr.ints([1]) } }, 1)
    await checkReduce(
      { op: 'ReduceSum', opset: 11, attrs: { axes: attr.ints([0, -1]), ...keep(0) } },
      2,
    )
  })

  it('axes input (opset 13/14), negative axis, keepdims 1 and 0', async () => {
    await checkReduce({ op: 'ReduceSum', opset: 13, axesInput: [-2] }, 3)
    await checkReduce({ op: 'ReduceSum', opset: 14, axesInput: [2, 0], attrs: keep(0) }, 4)
  })

  it('no axes: every axis, down to a scalar', async () => {
    await checkReduce({ op: 'ReduceSum', opset: 14, attrs: keep(0) }, 5)
    await checkReduce({ op: 'ReduceSum', opset: 11 }, 6)
  })

  it('no axes with noop_with_empty_axes: the identity', async () => {
    const attrs = { noop_with_empty_axes: attr.int(1) }
    await checkReduce({ op: 'ReduceSum', opset: 13, axesInput: [], attrs }, 7)
  })
})

describe('ReduceMean gradient', () => {
  it('axes attribute (opset 14, as in SD exports), keepdims 1 and 0', async () => {
    await checkReduce({ op: 'ReduceMean', opset: 14, attrs: { axes: attr.ints([-1]) } }, 8)
    await checkReduce(
      { op: 'ReduceMean', opset: 14, attrs: { axes: attr.ints([0, 2]), ...keep(0) } },
      9,
    )
  })

  it('axes input (opset 18), keepdims 0', async () => {
    await checkReduce({ op: 'ReduceMean', opset: 18, axesInput: [1, 2], attrs: keep(0) }, 10)
  })

  it('no axes (all) and noop_with_empty_axes (identity) at opset 18', async () => {
    await checkReduce({ op: 'ReduceMean', opset: 18, attrs: keep(0) }, 11)
    await checkReduce(
      { op: 'ReduceMean', opset: 18, attrs: { noop_with_empty_axes: attr.int(1) } },
      12,
    )
  })
})
