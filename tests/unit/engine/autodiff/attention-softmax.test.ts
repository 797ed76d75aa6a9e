/**
 * Attention's Softmax backward with row sums from dO and O (attention-softmax.ts), against
 * central finite differences in float64: the fused form where P feeds only P·V, the plain rule
 * where P has another consumer. The fused form is recognised by the Softmax backward reading the
 * forward output O of P·V (the plain rule never does).
 */
import { describe, expect, it } from 'vitest'
import type { GraphBuilder } from '../../../../src/main/engine/onnx'
import { attr } from '../../../../src/main/engine/onnx'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

const inputs = { q: [2, 5, 3], k: [2, 6, 3], v: [2, 6, 4] }

async function check(build: (g: GraphBuilder, p: string, v: string) => string) {
  let attention = ''
  const model = testModel('float64', inputs, (g, x) => {
    const kt = g.op('Transpose', [x.k ?? ''], { attrs: { perm: attr.ints([0, 2, 1]) } })
    const p = g.op('Softmax', [g.op('MatMul', [x.q ?? '', kt])], { attrs: { axis: attr.int(-1) } })
    attention = g.op('MatMul', [p, x.v ?? ''])
    return build(g, p, attention)
  })
  const report = await gradCheck({
    model,
    feeds: randomFeeds('float64', inputs, 4),
    wrt: ['q', 'k', 'v'],
    output: model.graph?.output[0]?.name ?? '',
    dtype: 'float64',
    samples: 100,
  })
  for (const w of ['q', 'k', 'v']) expect(report.maxRelError[w]).toBeLessThanOrEqual(1e-4)
  const forwardCount = model.graph?.node.length ?? 0
  const backward = report.gradient.model.graph?.node.slice(forwardCount) ?? []
  // The fused form reads O under the P·V MatMul's scope (the loss's own Mul reads O too, and
  // the plain MatMul rule never reads its output), and its Softmax backward has no Sub.
  const pv = model.graph?.node.find((n) => n.output.includes(attention))?.name ?? ''
  const readsO = backward.some(
    (n) => n.name.startsWith(`grad/${pv}/`) && n.opType === 'Mul' && n.input.includes(attention),
  )
  const softmaxSub = backward.some((n) => n.name.startsWith('grad/Softmax') && n.opType === 'Sub')
  expect(softmaxSub).toBe(!readsO)
  return readsO
}

describe('attention Softmax backward from dO and O', () => {
  it('P feeding only P·V: row sums from dO ⊙ O, same gradients', async () => {
    const fused = await check((_g, _p, o) => o)
    expect(fused).toBe(true)
  })

  it('P with a second consumer: the plain Softmax rule, same gradients', async () => {
    const fused = await check((g, p, o) =>
      g.op('Add', [
        g.op('ReduceSum', [o], { attrs: { keepdims: attr.int(0) } }),
        g.op('ReduceSum', [p], { attrs: { keepdims: attr.int(0) } }),
      ]),
    )
    expect(fused).toBe(false)
  })
})
