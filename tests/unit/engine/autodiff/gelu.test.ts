/**
 * GELU chains (gelu.ts) against central finite differences. Erf has no double kernel in ONNX
 * Runtime, so the checks run in float32 with the tolerance the Erf rule's test justifies
 * (elementwise.test.ts): ε = 1e-3 carries ~3e-5 of float32 rounding, 1e-3 leaves a 30× margin.
 * Also: the backward pass reads x only (not x/√2 or 1 + erf), and a chain whose inner value
 * is read elsewhere is differentiated op by op.
 */
import { describe, expect, it } from 'vitest'
import type { NodeProto } from 'onnx-buf'
import type { GraphBuilder } from '../../../../src/main/engine/onnx'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

const f32 = (g: GraphBuilder, v: number): string => g.initializer(Float32Array.of(v), [])

/** nn.GELU()'s export: Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5); returns the inner values too. */
function gelu(g: GraphBuilder, x: string): { out: string; scaled: string; onePlus: string } {
  const scaled = g.op('Div', [x, f32(g, Math.SQRT2)])
  const onePlus = g.op('Add', [f32(g, 1), g.op('Erf', [scaled])])
  return { out: g.op('Mul', [g.op('Mul', [onePlus, x]), f32(g, 0.5)]), scaled, onePlus }
}

async function check(
  inputs: Readonly<Record<string, readonly number[]>>,
  build: (g: GraphBuilder, v: Readonly<Record<string, string>>) => string,
): Promise<NodeProto[]> {
  const model = testModel('float32', inputs, build)
  const report = await gradCheck({
    model,
    feeds: randomFeeds('float32', inputs, 5),
    wrt: Object.keys(inputs),
    output: model.graph?.output[0]?.name ?? '',
    dtype: 'float32',
    eps: 1e-3,
    tolerance: 1e-3,
  })
  for (const w of Object.keys(inputs)) expect(report.maxRelError[w]).toBeLessThanOrEqual(1e-3)
  return report.gradient.model.graph?.node.slice(model.graph?.node.length ?? 0) ?? []
}

const reads = (nodes: readonly NodeProto[], value: string): boolean =>
  nodes.some((n) => n.input.includes(value))

describe('GELU chain gradient', () => {
  it('GEGLU (hidden · gelu(gate)): one rule for the chain, reading x alone', async () => {
    let inner: string[] = []
    const nodes = await check({ hidden: [3, 4], gate: [3, 4] }, (g, v) => {
      const { out, scaled, onePlus } = gelu(g, v.gate ?? '')
      inner = [scaled, onePlus]
      return g.op('Mul', [v.hidden ?? '', out])
    })
    for (const value of inner) expect(reads(nodes, value)).toBe(false)
    expect(nodes.filter((n) => n.opType === 'Erf')).toHaveLength(1)
  })

  it('x feeding the chain and another op: both contributions summed', async () => {
    await check({ x: [2, 5] }, (g, v) => g.op('Add', [gelu(g, v.x ?? '').out, g.op('Sin', [v.x ?? ''])]))
  })

  it('an inner value read elsewhere: op by op', async () => {
    let scaled = ''
    const nodes = await check({ x: [2, 5] }, (g, v) => {
      const chain = gelu(g, v.x ?? '')
      scaled = chain.scaled
      return g.op('Add', [chain.out, g.op('Tanh', [chain.onePlus])])
    })
    // Erf's own rule reads its input x/√2.
    expect(reads(nodes, scaled)).toBe(true)
  })
})
