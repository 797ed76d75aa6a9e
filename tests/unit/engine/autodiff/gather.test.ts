/**
 * Gather (embedding lookups) and ScatterElements/ScatterND gradients against central finite
 * differences in float64 (Gather, the Scatter/Gather ops, MatMul, Equal/Cast and Expand all have
 * double kernels), every element checked. Indices repeat on purpose: the gradient of a row
 * read twice must be the sum of both reads' gradients, which only a scatter-add gets right.
 */
import { describe, expect, it } from 'vitest'
import { attr } from '../../../../src/main/engine/onnx'
import type { GraphBuilder } from '../../../../src/main/engine/onnx'
import type { GradCheckReport } from '../../../helpers/grad-check'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

type Build = (g: GraphBuilder, v: Readonly<Record<string, string>>) => string

async function check(
  inputs: Readonly<Record<string, readonly number[]>>,
  wrt: readonly string[],
  build: Build,
  opset: number,
  seed: number,
): Promise<GradCheckReport> {
  const model = testModel('float64', inputs, build, { opset })
  return gradCheck({
    model,
    feeds: randomFeeds('float64', inputs, seed),
    wrt,
    output: model.graph?.output[0]?.name ?? '',
    dtype: 'float64',
    samples: 200,
  })
}

const int64 = (g: GraphBuilder, values: readonly number[], dims: readonly number[]): string =>
  g.initializer(BigInt64Array.from(values, BigInt), dims)

const backwardOps = (report: GradCheckReport): string[] =>
  report.gradient.model.graph?.node
    .filter((n) => n.name.startsWith('grad/'))
    .map((n) => n.opType) ?? []

/** An embedding table [7, 4] read at [2, 5] token ids, several of them repeated. */
const embedding: Build = (g, v) =>
  g.op('Gather', [v.table ?? '', int64(g, [1, 3, 1, 6, 0, 3, 3, 2, 1, 5], [2, 5])])

describe('Gather gradient', () => {
  it('embedding lookup with repeated ids, opset 14: one-hot MatMul', async () => {
    const report = await check({ table: [7, 4] }, ['table'], embedding, 14, 1)
    expect(backwardOps(report)).toContain('MatMul')
    expect(backwardOps(report)).not.toContain('ScatterElements')
  })

  it('embedding lookup with repeated ids, opsets 16 and 18: ScatterElements add', async () => {
    for (const opset of [16, 18]) {
      const report = await check({ table: [7, 4] }, ['table'], embedding, opset, 2)
      expect(backwardOps(report)).toContain('ScatterElements')
    }
  })

  it('a middle axis with negative and repeated indices', async () => {
    const build: Build = (g, v) =>
      g.op('Gather', [v.x ?? '', int64(g, [1, -1, 4, 0, 1, -4], [2, 3])], {
        attrs: { axis: attr.int(1) },
      })
    for (const opset of [14, 16]) await check({ x: [3, 5, 2] }, ['x'], build, opset, 3)
  })

  it('a scalar index and int32 indices', async () => {
    const scalar: Build = (g, v) => g.op('Gather', [v.x ?? '', int64(g, [2], [])])
    await check({ x: [4, 3] }, ['x'], scalar, 14, 4)
    const int32: Build = (g, v) =>
      g.op('Gather', [v.x ?? '', g.initializer(Int32Array.of(0, 2, 2, -1), [4])], {
        attrs: { axis: attr.int(-1) },
      })
    for (const opset of [14, 16]) await check({ x: [2, 3] }, ['x'], int32, opset, 5)
  })
})

describe('ScatterElements / ScatterND gradients', () => {
  it('ScatterElements with reduction add and repeated indices (opset 16)', async () => {
    const build: Build = (g, v) =>
      g.op(
        'ScatterElements',
        [v.data ?? '', int64(g, [0, 1, 2, 0, 2, 1, 2, 0], [2, 4]), v.u ?? ''],
        {
          attrs: { reduction: attr.string('add') },
        },
      )
    await check({ data: [3, 4], u: [2, 4] }, ['data', 'u'], build, 16, 6)
  })

  it('ScatterElements without reduction on axis 1 (opset 14)', async () => {
    const build: Build = (g, v) =>
      g.op('ScatterElements', [v.data ?? '', int64(g, [3, 0, 1, 2, 4, 0], [2, 3]), v.u ?? ''], {
        attrs: { axis: attr.int(1) },
      })
    await check({ data: [2, 5], u: [2, 3] }, ['data', 'u'], build, 14, 7)
  })

  it('ScatterND without reduction (opset 14) and with add (opset 16)', async () => {
    const none: Build = (g, v) =>
      g.op('ScatterND', [v.data ?? '', int64(g, [2, 0], [2, 1]), v.u ?? ''])
    await check({ data: [3, 4], u: [2, 4] }, ['data', 'u'], none, 14, 8)
    const add: Build = (g, v) =>
      g.op('ScatterND', [v.data ?? '', int64(g, [2, 1, 0, 3, 2, 1], [3, 2]), v.u ?? ''], {
        attrs: { reduction: attr.string('add') },
      })
    await check({ data: [3, 4], u: [3] }, ['data', 'u'], add, 16, 9)
  })

  it('refuses mul/min/max reductions, naming the node', async () => {
    const build: Build = (g, v) =>
      g.op('ScatterElements', [v.data ?? '', int64(g, [0, 1], [2]), v.u ?? ''], {
        name: 'scale_rows',
        attrs: { reduction: attr.string('mul') },
      })
    await expect(check({ data: [3], u: [2] }, ['data', 'u'], build, 16, 10)).rejects.toThrow(
      /ScatterElements node scale_rows: .*reduction mul/,
    )
  })
})
