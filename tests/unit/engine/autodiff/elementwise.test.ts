/**
 * Elementwise gradient rules against central finite differences, in float64 (ORT has double
 * kernels for every op here except Erf), with shapes that broadcast in every way numpy allows:
 * missing leading axes, size-1 axes on either side, scalars.
 */
import { TensorProto_DataType } from 'onnx-buf'
import { describe, expect, it } from 'vitest'
import type { GraphBuilder } from '../../../../src/main/engine/onnx'
import { attr, makeTensorProto } from '../../../../src/main/engine/onnx'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

type Dims = Readonly<Record<string, readonly number[]>>
type Build = (g: GraphBuilder, x: Readonly<Record<string, string>>) => string

interface Case {
  readonly name: string
  readonly inputs: Dims
  readonly build: Build
  readonly offsets?: Readonly<Record<string, number>>
  /** Inputs to differentiate (default: all). */
  readonly wrt?: readonly string[]
}

const binary =
  (op: string): Build =>
  (g, x) =>
    g.op(op, [x.a ?? '', x.b ?? ''])
const unary =
  (op: string): Build =>
  (g, x) =>
    g.op(op, [x.a ?? ''])
const f64 = (g: GraphBuilder, values: number[], dims: number[] = []): string =>
  g.initializer(Float64Array.from(values), dims)

const cases: Case[] = [
  { name: 'Add, same shapes', inputs: { a: [2, 3], b: [2, 3] }, build: binary('Add') },
  {
    name: 'Add, b missing leading axes and size-1',
    inputs: { a: [2, 3, 4], b: [3, 1] },
    build: binary('Add'),
  },
  { name: 'Add, both sides broadcast', inputs: { a: [1, 4], b: [3, 1] }, build: binary('Add') },
  { name: 'Add, scalar', inputs: { a: [], b: [2, 3] }, build: binary('Add') },
  {
    name: 'Sub, broadcast to a higher rank',
    inputs: { a: [2, 3], b: [2, 1, 3] },
    build: binary('Sub'),
  },
  { name: 'Mul, broadcast', inputs: { a: [4], b: [3, 4] }, build: binary('Mul') },
  {
    name: 'Mul, both operands the same value',
    inputs: { a: [3, 2] },
    build: (g, x) => g.op('Mul', [x.a ?? '', x.a ?? '']),
  },
  {
    name: 'Div, broadcast',
    inputs: { a: [3, 4], b: [4] },
    build: binary('Div'),
    offsets: { b: 3 },
  },
  {
    name: 'Div, scalar numerator',
    inputs: { a: [1], b: [2, 3] },
    build: binary('Div'),
    offsets: { b: -3 },
  },
  {
    name: 'Pow, constant exponent 2 (decomposed LayerNorm)',
    inputs: { a: [2, 5] },
    build: (g, x) => g.op('Pow', [x.a ?? '', f64(g, [2])]),
  },
  {
    name: 'Pow, constant fractional exponent',
    inputs: { a: [2, 3] },
    build: (g, x) => g.op('Pow', [x.a ?? '', f64(g, [1.5])]),
    offsets: { a: 3 },
  },
  {
    name: 'Pow, int64 exponent',
    inputs: { a: [2, 3] },
    build: (g, x) => g.op('Pow', [x.a ?? '', g.initializer(BigInt64Array.of(3n), [])]),
  },
  {
    name: 'Pow, computed exponent with broadcasting',
    inputs: { a: [2, 3], b: [3] },
    build: binary('Pow'),
    offsets: { a: 3 },
  },
  {
    name: 'Sum of three, broadcast',
    inputs: { a: [2, 3], b: [3], c: [2, 1] },
    build: (g, x) => g.op('Sum', [x.a ?? '', x.b ?? '', x.c ?? '']),
  },
  { name: 'Sqrt', inputs: { a: [2, 3] }, build: unary('Sqrt'), offsets: { a: 4 } },
  { name: 'Neg', inputs: { a: [2, 3] }, build: unary('Neg') },
  { name: 'Exp', inputs: { a: [2, 3] }, build: unary('Exp') },
  { name: 'Log', inputs: { a: [2, 3] }, build: unary('Log'), offsets: { a: 4 } },
  { name: 'Reciprocal', inputs: { a: [2, 3] }, build: unary('Reciprocal'), offsets: { a: 3 } },
  { name: 'Sigmoid', inputs: { a: [2, 3] }, build: unary('Sigmoid') },
  { name: 'Tanh', inputs: { a: [2, 3] }, build: unary('Tanh') },
  { name: 'Sin', inputs: { a: [2, 3] }, build: unary('Sin') },
  { name: 'Cos', inputs: { a: [2, 3] }, build: unary('Cos') },
  { name: 'Relu', inputs: { a: [3, 4] }, build: unary('Relu') },
  { name: 'Abs', inputs: { a: [3, 4] }, build: unary('Abs') },
  {
    name: 'Identity',
    inputs: { a: [2, 3] },
    build: (g, x) => g.op('Mul', [g.op('Identity', [x.a ?? '']), x.a ?? '']),
  },
  {
    name: 'SiLU (x · sigmoid(x): fan-out of x)',
    inputs: { a: [2, 4] },
    build: (g, x) => g.op('Mul', [x.a ?? '', g.op('Sigmoid', [x.a ?? ''])]),
  },
  {
    name: 'Where, broadcast condition and branches',
    inputs: { a: [3, 4], b: [4], c: [3, 1] },
    build: (g, x) =>
      g.op('Where', [g.op('Greater', [x.c ?? '', f64(g, [0])]), x.a ?? '', x.b ?? '']),
    wrt: ['a', 'b'],
  },
  {
    name: 'Where, condition computed from a differentiated input',
    inputs: { a: [2, 5] },
    build: (g, x) => {
      const cond = g.op('Greater', [x.a ?? '', f64(g, [0.2])])
      return g.op('Where', [cond, g.op('Mul', [x.a ?? '', x.a ?? '']), x.a ?? ''])
    },
  },
  {
    name: 'Expand to a higher rank',
    inputs: { a: [3, 1] },
    build: (g, x) => g.op('Expand', [x.a ?? '', g.initializer(BigInt64Array.of(2n, 3n, 4n), [3])]),
  },
]

describe('elementwise gradient rules (float64)', () => {
  it.each(cases)('$name', async (c) => {
    const model = testModel('float64', c.inputs, c.build)
    const feeds = randomFeeds('float64', c.inputs, 7, c.offsets)
    const wrt = c.wrt ?? Object.keys(c.inputs)
    const report = await gradCheck({
      model,
      feeds,
      wrt,
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float64',
    })
    for (const w of wrt) expect(report.maxRelError[w]).toBeLessThanOrEqual(1e-4)
  })
})

describe('rules whose ops lack double kernels, and dtype changes', () => {
  it('Erf (float32 only in ORT)', async () => {
    const inputs = { a: [3, 4] }
    const model = testModel('float32', inputs, unary('Erf'))
    // One perturbed element changes one output, so the central difference only carries that
    // output's float32 rounding: ~6e-8 / (2·1e-3) ≈ 3e-5 of an O(1) slope, plus a truncation
    // term ε²·|erf'''|/6 ≈ 2e-7. 1e-3 leaves a 30× margin over the rounding term.
    const report = await gradCheck({
      model,
      feeds: randomFeeds('float32', inputs, 3),
      wrt: ['a'],
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float32',
      eps: 1e-3,
      tolerance: 1e-3,
    })
    expect(report.maxRelError.a).toBeLessThanOrEqual(1e-3)
  })

  it('Pow with a Constant-node exponent 2 (torch exports) differentiates without Pow', async () => {
    const inputs = { a: [2, 5] }
    const model = testModel('float64', inputs, (g, x) => {
      const two = g.op('Constant', [], {
        attrs: { value: attr.tensor(makeTensorProto('two', [], Float64Array.of(2))) },
      })
      return g.op('Pow', [x.a ?? '', two])
    })
    const report = await gradCheck({
      model,
      feeds: randomFeeds('float64', inputs, 9),
      wrt: ['a'],
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float64',
    })
    expect(report.maxRelError.a).toBeLessThanOrEqual(1e-4)
    // ORT's Pow is fast for exponents 2 and 3 only; a^(2−1) = a^1 would go through pow().
    const ops = report.gradient.model.graph?.node.map((n) => n.opType) ?? []
    expect(ops.filter((op) => op === 'Pow')).toHaveLength(1)
  })

  it('Cast float32 → float64 sends a float32 gradient back', async () => {
    const inputs = { a: [2, 3] }
    // y = cast(a)² · 0.5: quadratic, so the central difference is exact up to the float32
    // rounding of the step, which gradCheck measures and divides by.
    const model = testModel(
      'float32',
      inputs,
      (g, x) => {
        const d = g.op('Cast', [x.a ?? ''], {
          attrs: { to: attr.int(TensorProto_DataType.DOUBLE) },
        })
        return g.op('Mul', [g.op('Mul', [d, d]), f64(g, [0.5])])
      },
      { outputType: 'float64' },
    )
    const report = await gradCheck({
      model,
      feeds: randomFeeds('float32', inputs, 5),
      wrt: ['a'],
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float32',
      eps: 1e-2,
      tolerance: 1e-4,
    })
    expect(report.gradient.model.graph?.output.at(-1)?.type?.value.value).toMatchObject({
      elemType: TensorProto_DataType.FLOAT,
    })
    expect(report.maxRelError.a).toBeLessThanOrEqual(1e-4)
  })
})
