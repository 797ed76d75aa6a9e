/**
 * MatMul and Gemm gradients against central finite differences in float64: every way numpy's
 * matmul treats ranks (1-D promotion on either side, batch broadcasting, a 2-D weight under a
 * batched input) and every Gemm transpose combination with α, β and C broadcasting. Sizes are
 * all different so a swapped axis cannot pass by symmetry.
 */
import { describe, expect, it } from 'vitest'
import type { GraphBuilder } from '../../../../src/main/engine/onnx'
import { attr } from '../../../../src/main/engine/onnx'
import type { Attrs } from '../../../../src/main/engine/onnx'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

type Dims = Readonly<Record<string, readonly number[]>>

async function check(
  inputs: Dims,
  build: (g: GraphBuilder, x: Readonly<Record<string, string>>) => string,
  seed = 11,
): Promise<void> {
  const model = testModel('float64', inputs, build)
  const wrt = Object.keys(inputs)
  const report = await gradCheck({
    model,
    feeds: randomFeeds('float64', inputs, seed),
    wrt,
    output: model.graph?.output[0]?.name ?? '',
    dtype: 'float64',
  })
  for (const w of wrt) expect(report.maxRelError[w]).toBeLessThanOrEqual(1e-4)
}

const matmulCases: [string, readonly number[], readonly number[]][] = [
  ['2-D × 2-D', [3, 4], [4, 5]],
  ['batched × batched', [2, 3, 4], [2, 4, 5]],
  ['batch broadcast on both sides', [2, 1, 3, 4], [3, 4, 5]],
  ['batched × 2-D weight (Linear, K/V projections)', [2, 3, 4], [4, 5]],
  ['rank-4 × 2-D weight', [2, 2, 3, 4], [4, 5]],
  ['2-D × batched', [3, 4], [2, 4, 5]],
  ['batch 1 × batched', [1, 3, 4], [2, 4, 5]],
  ['1-D × 2-D (row vector)', [4], [4, 5]],
  ['2-D × 1-D (column vector)', [3, 4], [4]],
  ['1-D × 1-D (dot product)', [4], [4]],
  ['1-D × batched', [4], [2, 4, 5]],
  ['batched × 1-D', [2, 3, 4], [4]],
  ['attention scores (Q·Kᵀ per head)', [1, 2, 5, 3], [1, 2, 3, 6]],
  // Operands larger than dY and the gradient together: the products are formed transposed.
  ['probabilities · V (large left operand)', [2, 9, 9], [2, 9, 2]],
  ['large right operand', [2, 2, 9], [2, 9, 9]],
  ['large left operand broadcast over the batch', [1, 9, 9], [2, 9, 2]],
]

describe('MatMul gradient (float64)', () => {
  it.each(matmulCases)('%s: %j × %j', async (_name, a, b) => {
    await check({ a, b }, (g, x) => g.op('MatMul', [x.a ?? '', x.b ?? '']))
  })

  it('A · A (both operands one value)', async () => {
    await check({ a: [3, 3] }, (g, x) => g.op('MatMul', [x.a ?? '', x.a ?? '']))
  })

  it('never transposes a large operand (attention probabilities)', async () => {
    const inputs = { p: [2, 9, 9], v: [2, 9, 2] }
    const model = testModel('float64', inputs, (g, x) => g.op('MatMul', [x.p ?? '', x.v ?? '']))
    const report = await gradCheck({
      model,
      feeds: randomFeeds('float64', inputs, 3),
      wrt: ['p', 'v'],
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float64',
    })
    const nodes = report.gradient.model.graph?.node ?? []
    expect(nodes.filter((n) => n.opType === 'Transpose' && n.input.includes('p'))).toHaveLength(0)
    expect(nodes.filter((n) => n.opType === 'Transpose').length).toBeGreaterThan(0)
  })

  it('only the weight differentiated (the K/V case) skips the other operand', async () => {
    const inputs = { ctx: [2, 7, 4], w: [4, 6] }
    const model = testModel('float64', inputs, (g, x) => g.op('MatMul', [x.ctx ?? '', x.w ?? '']))
    const report = await gradCheck({
      model,
      feeds: randomFeeds('float64', inputs, 2),
      wrt: ['w'],
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float64',
    })
    expect(report.maxRelError.w).toBeLessThanOrEqual(1e-4)
    // Only dW: the batch is folded into rows (Reshape, Transpose, MatMul), no dCtx product.
    const ops = report.gradient.model.graph?.node.slice(1).map((n) => n.opType) ?? []
    expect(ops.filter((op) => op === 'MatMul')).toHaveLength(1)
  })
})

type GemmCase = [string, Dims, Attrs]

const alphaBeta = { alpha: attr.float(0.7), beta: attr.float(1.3) }
const gemmCases: GemmCase[] = [
  ['no transposes, C [N]', { a: [3, 4], b: [4, 5], c: [5] }, alphaBeta],
  ['transA, C [M, 1]', { a: [4, 3], b: [4, 5], c: [3, 1] }, { ...alphaBeta, transA: attr.int(1) }],
  ['transB (torch Linear), C [N]', { a: [3, 4], b: [5, 4], c: [5] }, { transB: attr.int(1) }],
  [
    'transA and transB, C scalar',
    { a: [4, 3], b: [5, 4], c: [] },
    { ...alphaBeta, transA: attr.int(1), transB: attr.int(1) },
  ],
  ['full C [M, N]', { a: [3, 4], b: [4, 5], c: [3, 5] }, alphaBeta],
  ['no C', { a: [3, 4], b: [4, 5] }, { alpha: attr.float(-2) }],
]

describe('Gemm gradient (float64)', () => {
  it.each(gemmCases)('%s', async (_name, inputs, attrs) => {
    await check(inputs, (g, x) =>
      g.op(
        'Gemm',
        ['a', 'b', 'c'].filter((k) => k in inputs).map((k) => x[k] ?? ''),
        { attrs },
      ),
    )
  })
})
