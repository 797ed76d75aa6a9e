/**
 * Summing a value's gradient contributions (accumulate.ts): the two rewrites (an Expand summed
 * by broadcasting, slices put back together with Concat) give the same gradients as plain Sums,
 * checked against central finite differences in float64, and they only fire where they hold:
 * overlapping or gapped slices, and a value whose only contributions are Expands, keep Sum.
 */
import { describe, expect, it } from 'vitest'
import type { NodeProto } from 'onnx-buf'
import { attr } from '../../../../src/main/engine/onnx'
import type { GraphBuilder } from '../../../../src/main/engine/onnx'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

type Build = (g: GraphBuilder, v: Readonly<Record<string, string>>) => string

/** The gradient graph's backward nodes, after a float64 finite-difference check of every element. */
async function backwardOf(
  inputs: Readonly<Record<string, readonly number[]>>,
  build: Build,
): Promise<NodeProto[]> {
  const model = testModel('float64', inputs, build, { opset: 17 })
  const report = await gradCheck({
    model,
    feeds: randomFeeds('float64', inputs, 3),
    wrt: Object.keys(inputs),
    output: model.graph?.output[0]?.name ?? '',
    dtype: 'float64',
    samples: 200,
  })
  for (const w of Object.keys(inputs)) expect(report.maxRelError[w]).toBeLessThanOrEqual(1e-4)
  const forwardCount = model.graph?.node.length ?? 0
  return report.gradient.model.graph?.node.slice(forwardCount) ?? []
}

const ints = (g: GraphBuilder, values: readonly number[]): string =>
  g.initializer(BigInt64Array.from(values, BigInt), [values.length])

/** x[:, start:end] on axis 1. */
const cols = (g: GraphBuilder, x: string, start: number, end: number): string =>
  g.op('Slice', [x, ints(g, [start]), ints(g, [end]), ints(g, [1])])

const ops = (nodes: readonly NodeProto[]): string[] => nodes.map((n) => n.opType)
const sums = (nodes: readonly NodeProto[]): NodeProto[] =>
  nodes.filter((n) => n.name.startsWith('grad/sum/'))

describe('summing gradient contributions', () => {
  it('a decomposed LayerNorm: the gradient of the mean is summed by broadcasting, not expanded', async () => {
    const nodes = await backwardOf({ x: [3, 5] }, (g, v) => {
      const x = v.x ?? ''
      const mean = g.op('ReduceMean', [x], { attrs: { axes: attr.ints([-1]) } })
      const centered = g.op('Sub', [x, mean])
      const variance = g.op('ReduceMean', [g.op('Mul', [centered, centered])], {
        attrs: { axes: attr.ints([-1]) },
      })
      const eps = g.initializer(Float64Array.of(1e-5), [])
      return g.op('Div', [centered, g.op('Sqrt', [g.op('Add', [variance, eps])])])
    })
    // Two ReduceMeans, one Expand left: the variance's gradient is the only one its input gets,
    // so it is expanded for the Mul rule; the mean's is summed with Sub's into x's.
    expect(ops(nodes).filter((o) => o === 'Expand')).toHaveLength(1)
    expect(sums(nodes).some((n) => n.opType === 'Sum' && n.input.length === 2)).toBe(true)
  })

  it('only Expand contributions: summed as they are', async () => {
    const nodes = await backwardOf({ x: [3, 4] }, (g, v) => {
      const x = v.x ?? ''
      const a = g.op('ReduceMean', [x], { attrs: { axes: attr.ints([1]) } })
      const b = g.op('ReduceSum', [x, ints(g, [0])])
      return g.op('Mul', [a, b])
    })
    expect(ops(nodes).filter((o) => o === 'Expand')).toHaveLength(2)
    expect(sums(nodes).map((n) => n.opType)).toEqual(['Sum'])
  })

  it('two halves (GEGLU): one Concat instead of two Pads and a Sum', async () => {
    const nodes = await backwardOf({ x: [2, 6] }, (g, v) => {
      const x = v.x ?? ''
      const gate = cols(g, x, 3, 6)
      return g.op('Mul', [cols(g, x, 0, 3), g.op('Tanh', [gate])])
    })
    expect(ops(nodes)).not.toContain('Pad')
    expect(sums(nodes).map((n) => n.opType)).toEqual(['Concat'])
  })

  it('three pieces out of order on the leading axis, tiling it', async () => {
    const nodes = await backwardOf({ x: [5, 2] }, (g, v) => {
      const x = v.x ?? ''
      const rows = (s: number, e: number): string =>
        g.op('Slice', [x, ints(g, [s]), ints(g, [e]), ints(g, [0])])
      const mid = rows(1, 3)
      return g.op('Concat', [g.op('Exp', [rows(3, 5)]), mid, g.op('Sin', [rows(0, 1)])], {
        attrs: { axis: attr.int(0) },
      })
    })
    expect(ops(nodes)).not.toContain('Pad')
    expect(sums(nodes).map((n) => n.opType)).toEqual(['Concat'])
  })

  it.each([
    ['overlapping', [0, 4], [2, 6]],
    ['with a gap', [0, 2], [3, 6]],
  ])('%s slices keep the Pads and the Sum', async (_name, [a0, a1], [b0, b1]) => {
    const nodes = await backwardOf({ x: [2, 6] }, (g, v) => {
      const x = v.x ?? ''
      const left = g.op('ReduceSum', [cols(g, x, a0 ?? 0, a1 ?? 0), ints(g, [1])])
      const right = g.op('ReduceSum', [g.op('Exp', [cols(g, x, b0 ?? 0, b1 ?? 0)]), ints(g, [1])])
      return g.op('Mul', [left, right])
    })
    expect(ops(nodes).filter((o) => o === 'Pad')).toHaveLength(2)
    expect(sums(nodes).map((n) => n.opType)).toEqual(['Sum'])
  })
})
