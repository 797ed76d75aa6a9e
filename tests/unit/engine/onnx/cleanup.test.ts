import { TensorProto_DataType } from 'onnx-buf'
import type { ModelProto } from 'onnx-buf'
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { GraphBuilder, attr, encodeModel, makeTensorProto } from '../../../../src/main/engine/onnx'
import { cleanupGraph } from '../../../../src/main/engine/onnx/surgery/cleanup'

const i64 = (g: GraphBuilder, values: number[], dims = [values.length]): string =>
  g.initializer(BigInt64Array.from(values, BigInt), dims, { dataType: TensorProto_DataType.INT64 })
const constant = (g: GraphBuilder, value: number, dims: number[] = []): string =>
  g.op('Constant', [], {
    attrs: { value: attr.tensor(makeTensorProto('value', dims, Float32Array.of(value))) },
  })
const fillAttr = (value: number) => ({
  value: attr.tensor(makeTensorProto('value', [1], Float32Array.of(value))),
})

interface Options {
  /** The Add reads the zero term first. */
  zeroFirst?: boolean
  /** The Mul reads its constant first. */
  constFirst?: boolean
  beta?: number
  fill?: number
  /** 'node': Constant node; 'init': initializer. */
  betaAs?: 'node' | 'init'
  betaDims?: number[]
  /** How S is computed: torch.empty's sizes, Shape(scores) directly, or a graph input. */
  sizes?: 'gathered' | 'shape-of-x' | 'input'
  /** Length of the `sizes` input, when sizes is 'input' (default 3). */
  sizesLength?: number
}

/**
 * diffusers' attention scores as torch.onnx exports `baddbmm(empty(b, n, m), q, kᵀ, beta, α)`
 * on 3-D [B·heads, n, d] inputs, followed by the Softmax that reads them.
 */
function baddbmm(o: Options = {}): ModelProto {
  const g = new GraphBuilder()
  const q = g.input('q', 'float32', ['bh', 'n', 8])
  const k = g.input('k', 'float32', ['bh', 'm', 8])
  const rank = o.sizesLength ?? 3
  const shapeIn = o.sizes === 'input' ? g.input('sizes', 'int64', [rank]) : ''
  const kT = g.op('Transpose', [k], { attrs: { perm: attr.ints([0, 2, 1]) } })
  const scaled = g.op('Mul', [g.op('MatMul', [q, kT]), constant(g, 0.125)])
  const dimOf = (t: string, i: number): string =>
    g.op('Unsqueeze', [
      g.op('Gather', [g.op('Shape', [t]), i64(g, [i], [])], { attrs: { axis: attr.int(0) } }),
      i64(g, [0]),
    ])
  const sizes =
    o.sizes === 'input'
      ? shapeIn
      : o.sizes === 'shape-of-x'
        ? g.op('Shape', [scaled])
        : g.op('Concat', [dimOf(q, 0), dimOf(q, 1), dimOf(k, 1)], { attrs: { axis: attr.int(0) } })
  const empty = g.op('ConstantOfShape', [sizes], { attrs: fillAttr(o.fill ?? 0) })
  const betaDims = o.betaDims ?? []
  const beta =
    o.betaAs === 'init'
      ? g.initializer(Float32Array.of(o.beta ?? 0), betaDims, { name: 'beta' })
      : constant(g, o.beta ?? 0, betaDims)
  const zero = g.op('Mul', o.constFirst === true ? [beta, empty] : [empty, beta])
  const scores = g.op('Add', o.zeroFirst === true ? [zero, scaled] : [scaled, zero])
  g.op('Softmax', [scores], { attrs: { axis: attr.int(-1) }, output: 'probs' })
  g.output('probs', 'float32', [...(rank === 4 ? ['a'] : []), 'bh', 'n', 'm'])
  return g.build()
}

const ops = (m: ModelProto): string[] => (m.graph?.node ?? []).map((n) => n.opType)

async function run(model: ModelProto, feeds: Record<string, ort.Tensor>): Promise<ort.Tensor[]> {
  const session = await ort.InferenceSession.create(encodeModel(model))
  try {
    const out = await session.run(feeds)
    return session.outputNames.map((n) => out[n]!)
  } finally {
    await session.release()
  }
}

const random = (n: number, seed: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 2)
const feeds = (): Record<string, ort.Tensor> => ({
  q: new ort.Tensor('float32', random(6 * 5 * 8, 1), [6, 5, 8]),
  k: new ort.Tensor('float32', random(6 * 7 * 8, 2), [6, 7, 8]),
})

async function expectSameOutputs(a: ModelProto, b: ModelProto, f = feeds()): Promise<void> {
  const [x, y] = [await run(a, f), await run(b, f)]
  expect(y.map((t) => t.dims)).toEqual(x.map((t) => t.dims))
  y.forEach((t, i) => expect(t.data).toEqual(x[i]!.data))
}

describe('cleanupGraph: baddbmm(beta=0) zero terms', () => {
  it.each([
    ['torch order, beta as Constant node', {}],
    ['zero term first in the Add', { zeroFirst: true }],
    ['constant first in the Mul', { constFirst: true }],
    ['beta as an initializer', { betaAs: 'init' as const }],
    ['beta as a one-element 1-D tensor', { betaDims: [1] }],
    ['sizes from Shape(scores) directly', { sizes: 'shape-of-x' as const }],
  ])('%s: drops the zero tensor and its shape arithmetic', async (_, o: Options) => {
    const model = baddbmm(o)
    const before = encodeModel(model)
    const { model: cleaned, changed, report } = cleanupGraph(model)
    expect(changed).toBe(true)
    expect(report.zeroAdds).toBe(1)
    expect(report.expanded).toBe(0)
    expect(encodeModel(model)).toEqual(before) // the input is left alone
    const left = ops(cleaned)
    for (const op of ['ConstantOfShape', 'Add', 'Concat', 'Gather', 'Unsqueeze', 'Shape'])
      expect(left).not.toContain(op)
    expect(left).toEqual(['Transpose', 'MatMul', 'Constant', 'Mul', 'Softmax'])
    expect(report.removedNodes).toBe(ops(model).length - left.length)
    // Dead constants went with the nodes (the shape indices here, and beta as an initializer).
    const inits = cleaned.graph!.initializer.map((t) => t.name)
    expect(report.removedInitializers).toBe(model.graph!.initializer.length - inits.length)
    expect(inits).not.toContain('beta')
    const read = new Set(cleaned.graph!.node.flatMap((n) => n.input))
    for (const name of inits) expect(read.has(name), name).toBe(true)
    await expectSameOutputs(model, cleaned)
  })

  it.each([
    ['a non-zero beta', { beta: 0.5 }],
    ['a non-zero fill value', { fill: 1 }],
    ['a NaN beta', { beta: Number.NaN }],
    ['a beta of more dims than the sizes (it would add a dimension)', { betaDims: [1, 1, 1, 1] }],
  ])('leaves the graph alone for %s', (_, o: Options) => {
    const model = baddbmm(o)
    const result = cleanupGraph(model)
    expect(result.changed).toBe(false)
    expect(result.report.zeroAdds).toBe(0)
    expect(result.model).toBe(model)
  })

  it('keeps a beta that is also a graph input (it can be fed another value)', () => {
    const model = baddbmm({ betaAs: 'init' })
    const g = model.graph!
    const beta = new GraphBuilder()
    beta.input('beta', 'float32', [])
    g.input.push(...beta.build().graph!.input)
    expect(cleanupGraph(model).changed).toBe(false)
  })

  it('uses Expand when the sizes cannot be proven to fit the scores, keeping their shape', async () => {
    const model = baddbmm({ sizes: 'input' })
    const { model: cleaned, report } = cleanupGraph(model)
    expect(report).toMatchObject({ zeroAdds: 1, expanded: 1 })
    expect(ops(cleaned)).toContain('Expand')
    expect(ops(cleaned)).not.toContain('ConstantOfShape')
    await expectSameOutputs(model, cleaned, {
      ...feeds(),
      sizes: new ort.Tensor('int64', BigInt64Array.of(6n, 5n, 7n), [3]),
    })
    // A zero tensor with one more dimension broadcasts the scores up: the cleaned graph must too.
    const wider = baddbmm({ sizes: 'input', sizesLength: 4 })
    const widerCleaned = cleanupGraph(wider).model
    const sizes = new ort.Tensor('int64', BigInt64Array.of(2n, 6n, 5n, 7n), [4])
    const out = await run(widerCleaned, { ...feeds(), sizes })
    expect(out[0]!.dims).toEqual([2, 6, 5, 7])
    await expectSameOutputs(wider, widerCleaned, { ...feeds(), sizes })
  })

  it('keeps the output name when the Add itself is a graph output', async () => {
    const g = new GraphBuilder()
    const x = g.input('x', 'float32', ['n', 3])
    const zero = g.op('Mul', [
      g.op('ConstantOfShape', [g.op('Shape', [x])], { attrs: fillAttr(0) }),
      constant(g, 0),
    ])
    g.op('Add', [x, zero], { output: 'y' })
    g.output('y', 'float32', ['n', 3])
    const model = g.build()
    const { model: cleaned, report } = cleanupGraph(model)
    expect(report).toMatchObject({ zeroAdds: 1, expanded: 0 })
    expect(ops(cleaned)).toEqual(['Identity'])
    const f = { x: new ort.Tensor('float32', random(6, 3), [2, 3]) }
    await expectSameOutputs(model, cleaned, f)
  })
})
