/**
 * Rematerialized attention probabilities (remat.ts): the gradient through attention is the same
 * when the backward pass recomputes Softmax(scale·Q·Kᵀ) from Q and K (checked against finite
 * differences in float64), and the backward nodes no
 * longer read the forward Softmax output; by default the last attention keeps its forward copy. Covered: torch-1 attention (product, then Mul by the
 * scale), a Div by √d, and SDPA-style exports (Q and K scaled before the product).
 */
import { describe, expect, it } from 'vitest'
import type { GraphBuilder } from '../../../../src/main/engine/onnx'
import { attr } from '../../../../src/main/engine/onnx'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

type Build = (g: GraphBuilder, q: string, kt: string, scale: string) => string

// n = 24 tokens, head width 2: Q and K together are a quarter of the probabilities' size.
const inputs = { q: [2, 24, 2], k: [2, 24, 2], v: [2, 24, 3] }

/** Softmax(scores(Q, Kᵀ))·V; returns the probabilities and the product. */
function attention(g: GraphBuilder, q: string, k: string, v: string, scores: Build): [string, string] {
  const kt = g.op('Transpose', [k], { attrs: { perm: attr.ints([0, 2, 1]) } })
  const scale = g.initializer(Float64Array.of(0.57), [])
  const probs = g.op('Softmax', [scores(g, q, kt, scale)], { attrs: { axis: attr.int(-1) } })
  return [probs, g.op('MatMul', [probs, v])]
}

/** Finite-difference check in float64 under the given remat settings; the backward nodes. */
async function checkModel(model: ReturnType<typeof testModel>, rematMinBytes: number, rematKeepLast?: number) {
  const report = await gradCheck({
    model,
    feeds: randomFeeds('float64', inputs, 7),
    wrt: ['q', 'k', 'v'],
    output: model.graph?.output[0]?.name ?? '',
    dtype: 'float64',
    rematMinBytes,
    ...(rematKeepLast === undefined ? {} : { rematKeepLast }),
  })
  for (const w of ['q', 'k', 'v']) expect(report.maxRelError[w]).toBeLessThanOrEqual(1e-4)
  const backward = report.gradient.model.graph?.node.slice(model.graph?.node.length ?? 0) ?? []
  return { report, backward }
}

async function check(scores: Build, rematMinBytes: number) {
  const model = testModel('float64', inputs, (g, x) => attention(g, x.q ?? '', x.k ?? '', x.v ?? '', scores)[1])
  const softmax = model.graph?.node.find((n) => n.opType === 'Softmax')?.output[0] ?? ''
  return { ...(await checkModel(model, rematMinBytes, 0)), softmax }
}

const patterns: [string, Build][] = [
  ['MatMul then Mul (torch-1)', (g, q, kt, s) => g.op('Mul', [g.op('MatMul', [q, kt]), s])],
  ['scale first (Mul on the left)', (g, q, kt, s) => g.op('Mul', [s, g.op('MatMul', [q, kt])])],
  ['Div by the scale', (g, q, kt, s) => g.op('Div', [g.op('MatMul', [q, kt]), s])],
  ['Q and K scaled before the product (SDPA)', (g, q, kt, s) => g.op('MatMul', [g.op('Mul', [q, s]), g.op('Mul', [kt, s])])],
]

describe('rematerialized attention probabilities', () => {
  it.each(patterns)('%s: same gradients, forward Softmax output not read by the backward pass', async (_name, scores) => {
    const { report, softmax, backward } = await check(scores, 0)
    expect(report.gradient.rematerialized).toEqual([softmax])
    expect(backward.some((n) => n.input.includes(softmax))).toBe(false)
    // The recomputed product: MatMul(−Q, −Kᵀ), which the optimizer cannot merge with the forward one.
    const recomputed = backward.filter((n) => n.name.startsWith('grad/remat/'))
    expect(recomputed.map((n) => n.opType).slice(0, 3)).toEqual(['Neg', 'Neg', 'MatMul'])
  })

  it('keeps the forward Softmax output below the size threshold', async () => {
    const { report, softmax, backward } = await check(patterns[0]![1], 64 * 2 ** 20)
    expect(report.gradient.rematerialized).toEqual([])
    expect(backward.some((n) => n.input.includes(softmax))).toBe(true)
    expect(backward.some((n) => n.name.startsWith('grad/remat/'))).toBe(false)
  })

  it('by default keeps the forward copy of the last attention in forward order', async () => {
    // Two attention layers in a chain: only the first one's probabilities are recomputed.
    const model = testModel('float64', inputs, (g, x) => {
      const [, first] = attention(g, x.q ?? '', x.k ?? '', x.v ?? '', patterns[0]![1])
      const ints = (v: bigint): string => g.initializer(BigInt64Array.of(v), [1])
      const q2 = g.op('Slice', [first, ints(0n), ints(2n), ints(2n)])
      return attention(g, q2, x.k ?? '', x.v ?? '', patterns[0]![1])[1]
    })
    const softmaxes = (model.graph?.node ?? []).filter((n) => n.opType === 'Softmax').map((n) => n.output[0])
    for (const [keep, expected] of [[undefined, [softmaxes[0]]], [0, softmaxes], [2, []]] as const) {
      const { report } = await checkModel(model, 0, keep)
      expect(report.gradient.rematerialized).toEqual(expected)
      for (const w of ['q', 'k', 'v']) expect(report.maxRelError[w]).toBeLessThanOrEqual(1e-4)
    }
  })
})
