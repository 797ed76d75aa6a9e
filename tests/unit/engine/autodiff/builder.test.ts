/**
 * The gradient builder itself: which nodes it differentiates, how it sums fan-out, what it
 * refuses, and that the forward part of the gradient model computes what the forward model did.
 */
import * as ort from 'onnxruntime-node'
import type { ModelProto } from 'onnx-buf'
import { describe, expect, it } from 'vitest'
import { GraphBuilder, attr } from '../../../../src/main/engine/onnx'
import { buildGradientModel } from '../../../../src/main/engine/onnx/autodiff/build-gradient'
import { DEFAULT_RULES, elementwiseRules } from '../../../../src/main/engine/onnx/autodiff/rules'
import { openModelSession } from '../../../../src/main/engine/onnx/autodiff/session'
import { MissingGradientRulesError } from '../../../../src/main/engine/onnx/autodiff/types'
import type { GradRule } from '../../../../src/main/engine/onnx/autodiff/types'
import { gradCheck, randomFeeds, testModel } from '../../../helpers/grad-check'

async function run(
  model: ModelProto,
  feeds: Record<string, ort.Tensor>,
): Promise<ort.InferenceSession.OnnxValueMapType> {
  const { session, dispose } = await openModelSession(model)
  try {
    return await session.run(feeds)
  } finally {
    await dispose()
  }
}

/** Names of the forward nodes the backward nodes were emitted for (`grad/<node>/<Op>`). */
function differentiatedNodes(model: ModelProto, forwardNames: readonly string[]): Set<string> {
  const found = new Set<string>()
  for (const n of model.graph?.node ?? []) {
    for (const f of forwardNames) if (n.name.startsWith(`grad/${f}/`)) found.add(f)
  }
  return found
}

/**
 * x ─MatMul(W)─ h ─Add─ out      y ─Sin─┘ (y is not differentiated)
 *   └─Exp─ side (an output the loss does not read)
 */
function branchyModel(): ModelProto {
  const g = new GraphBuilder({ opset: 14 })
  const x = g.input('x', 'float64', [2, 3])
  const y = g.input('y', 'float64', [2, 4])
  const w = g.input('w', 'float64', [3, 4])
  const h = g.op('MatMul', [x, w], { name: 'matmul' })
  const s = g.op('Sin', [y], { name: 'sin_y' })
  g.op('Add', [h, s], { name: 'add', output: 'out' })
  g.op('Exp', [x], { name: 'exp_x', output: 'side' })
  g.output('out', 'float64', ['batch', 4])
  g.output('side', 'float64', ['batch', 3])
  return g.build()
}

const branchyInputs = { x: [2, 3], y: [2, 4], w: [3, 4] }

describe('buildGradientModel', () => {
  it('differentiates only nodes between wrt and the loss, keeping every forward output', async () => {
    const model = branchyModel()
    const feeds = randomFeeds('float64', branchyInputs, 1)
    const report = await gradCheck({
      model,
      feeds,
      wrt: ['x', 'w'],
      output: 'out',
      dtype: 'float64',
    })
    const gm = report.gradient
    expect(gm.differentiated).toEqual(['matmul', 'add'])
    const touched = differentiatedNodes(gm.model, ['matmul', 'sin_y', 'add', 'exp_x'])
    expect([...touched]).toEqual(['matmul'])
    expect(gm.forwardOutputs).toEqual(['out', 'side'])
    expect(gm.model.graph?.output.map((o) => o.name)).toEqual([
      'out',
      'side',
      'loss',
      'grad:x',
      'grad:w',
    ])
    expect(gm.grads).toEqual({ x: 'grad:x', w: 'grad:w' })
  })

  it('computes the forward outputs exactly as the forward model does', async () => {
    const model = branchyModel()
    const feeds = randomFeeds('float64', branchyInputs, 2)
    const gm = await buildGradientModel(model, {
      wrt: ['w'],
      loss: { kind: 'weighted-sum', output: 'out', weightInput: 'weight' },
      probeFeeds: feeds,
    })
    const weight = randomFeeds('float64', { weight: [2, 4] }, 3)
    const plain = await run(model, feeds)
    const withGrads = await run(gm.model, { ...feeds, ...weight })
    for (const name of ['out', 'side']) {
      expect(Array.from(withGrads[name]?.data as Float64Array)).toEqual(
        Array.from(plain[name]?.data as Float64Array),
      )
    }
    // Inputs are pinned to the probed shapes: the graph is only valid for them.
    const dims = gm.model.graph?.input.map((i) =>
      i.type?.value.case === 'tensorType'
        ? i.type.value.value.shape?.dim.map((d) => d.value.value)
        : [],
    )
    expect(dims).toEqual([
      [2n, 3n],
      [2n, 4n],
      [3n, 4n],
      [2n, 4n],
    ])
    const other = randomFeeds('float64', { x: [5, 3], y: [5, 4], w: [3, 4], weight: [5, 4] }, 4)
    await expect(run(gm.model, other)).rejects.toThrow(/invalid dimensions/i)
  })

  it('sums the contributions of a value read by several nodes', async () => {
    const inputs = { x: [3, 4] }
    // x feeds Mul (twice), Sigmoid, and Add: four contributions, one Sum.
    const model = testModel('float64', inputs, (g, v) => {
      const x = v.x ?? ''
      const sq = g.op('Mul', [x, x])
      return g.op('Add', [g.op('Mul', [sq, g.op('Sigmoid', [x])]), x])
    })
    const report = await gradCheck({
      model,
      feeds: randomFeeds('float64', inputs, 4),
      wrt: ['x'],
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float64',
    })
    expect(report.maxRelError.x).toBeLessThanOrEqual(1e-4)
    const sums = report.gradient.model.graph?.node.filter((n) => n.opType === 'Sum') ?? []
    expect(sums).toHaveLength(1)
    expect(sums[0]?.input).toHaveLength(4)
  })

  it('lists every op and node without a rule on the path, and only those', async () => {
    const g = new GraphBuilder({
      opset: 14,
      extraOpsets: [{ domain: 'com.microsoft', version: 1 }],
    })
    const x = g.input('x', 'float32', [2, 3])
    const y = g.input('y', 'float32', [2, 3])
    const a = g.op('Softsign', [x], { name: 'soft_1' })
    const b = g.op('Selu', [a], { name: 'selu' })
    const c = g.op('Softsign', [b], { name: 'soft_2' })
    const d = g.op('Gelu', [c], { name: 'ms_gelu', domain: 'com.microsoft' })
    // Off the path: HardSigmoid reads only y; Softplus reads x but its output is unused.
    const e = g.op('HardSigmoid', [y], { name: 'hard_y' })
    g.op('Softplus', [x], { name: 'dead_end' })
    g.op('Add', [d, e], { output: 'out' })
    g.output('out', 'float32', [2, 3])
    const feeds = randomFeeds('float32', { x: [2, 3], y: [2, 3] }, 5)
    const build = buildGradientModel(g.build(), {
      wrt: ['x'],
      loss: { kind: 'weighted-sum', output: 'out', weightInput: 'weight' },
      probeFeeds: feeds,
      rules: elementwiseRules,
    })
    await expect(build).rejects.toBeInstanceOf(MissingGradientRulesError)
    const err = (await build.catch((e: unknown) => e)) as MissingGradientRulesError
    expect(err.missing).toEqual([
      { opType: 'Softsign', node: 'soft_1' },
      { opType: 'Selu', node: 'selu' },
      { opType: 'Softsign', node: 'soft_2' },
      { opType: 'com.microsoft::Gelu', node: 'ms_gelu' },
    ])
    expect(err.message).toContain('Softsign (2: soft_1, soft_2)')
    expect(err.message).toContain('Selu (1: selu)')
    expect(err.message).not.toContain('HardSigmoid')
    expect(err.message).not.toContain('Softplus')
  })

  it('freezes shape sub-graphs: backward nodes never read forward integer values', async () => {
    const inputs = { x: [2, 6], w: [3, 2] }
    const model = testModel('float64', inputs, (g, v) => {
      const x = v.x ?? ''
      const batch = g.op('Gather', [g.op('Shape', [x]), g.initializer(BigInt64Array.of(0n), [])], {
        attrs: { axis: attr.int(0) },
      })
      const shape = g.op(
        'Concat',
        [
          g.op('Unsqueeze', [batch, g.initializer(BigInt64Array.of(0n), [1])]),
          g.initializer(BigInt64Array.of(2n, 3n), [2]),
        ],
        {
          attrs: { axis: attr.int(0) },
        },
      )
      return g.op('MatMul', [g.op('Reshape', [x, shape]), v.w ?? ''])
    })
    const report = await gradCheck({
      model,
      feeds: randomFeeds('float64', inputs, 6),
      wrt: ['x', 'w'],
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float64',
    })
    const graph = report.gradient.model.graph
    const forward = new Map(
      (model.graph?.node ?? []).flatMap((n) => n.output.map((o) => [o, n.opType])),
    )
    const backward = graph?.node.filter((n) => n.name.startsWith('grad/')) ?? []
    const readForward = backward.flatMap((n) => n.input.filter((i) => forward.has(i)))
    expect(readForward.map((i) => forward.get(i))).not.toContain('Concat')
    expect(readForward.map((i) => forward.get(i))).not.toContain('Shape')
    expect(report.gradient.probe.ints.get(model.graph?.node[3]?.output[0] ?? '')).toEqual([2, 2, 3])
  })

  it('lets rules read probed integers only where they are fixed by the shapes', async () => {
    const g = new GraphBuilder({ opset: 14 })
    const x = g.input('x', 'float64', [2, 3])
    const k = g.input('k', 'int64', [2])
    const shape = g.op('Shape', [x], { output: 'shape' })
    g.op('Add', [shape, k], { output: 'shape_plus_k' })
    g.op('Mul', [x, x], { output: 'out' })
    g.output('out', 'float64', [2, 3])
    g.output('shape_plus_k', 'int64', [2])
    const seen: Record<string, readonly number[] | undefined> = {}
    const spy: GradRule = (node, grads, ctx) => {
      for (const v of ['shape', 'k', 'shape_plus_k']) seen[v] = ctx.intValue(v)
      return DEFAULT_RULES.Mul?.(node, grads, ctx) ?? []
    }
    const gm = await buildGradientModel(g.build(), {
      wrt: ['x'],
      loss: { kind: 'weighted-sum', output: 'out', weightInput: 'weight' },
      probeFeeds: {
        ...randomFeeds('float64', { x: [2, 3] }, 1),
        k: new ort.Tensor('int64', BigInt64Array.of(5n, 7n), [2]),
      },
      rules: { ...DEFAULT_RULES, Mul: spy },
    })
    // The probe saw every value; only the shape-derived one is offered as a constant.
    expect(gm.probe.ints.get('k')).toEqual([5, 7])
    expect(seen).toEqual({ shape: [2, 3], k: undefined, shape_plus_k: undefined })
  })

  it('gives zeros for a wrt input the loss does not depend on, and says so', async () => {
    const model = branchyModel()
    const feeds = randomFeeds('float64', branchyInputs, 7)
    const gm = await buildGradientModel(model, {
      wrt: ['w', 'y'],
      loss: { kind: 'weighted-sum', output: 'side', weightInput: 'weight' },
      probeFeeds: feeds,
    })
    expect(gm.disconnected).toEqual(['w', 'y'])
    const out = await run(gm.model, { ...feeds, ...randomFeeds('float64', { weight: [2, 3] }, 8) })
    expect(Array.from(out['grad:w']?.data as Float64Array)).toEqual(new Array(12).fill(0))
    expect(out['grad:w']?.dims).toEqual([3, 4])
  })

  it('MSE loss: mean of squared error and its gradient', async () => {
    const inputs = { x: [4, 3], w: [3, 2] }
    const model = testModel('float64', inputs, (g, v) => g.op('MatMul', [v.x ?? '', v.w ?? '']))
    const out = model.graph?.output[0]?.name ?? ''
    const feeds = randomFeeds('float64', inputs, 9)
    const gm = await buildGradientModel(model, {
      wrt: ['w'],
      loss: { kind: 'mse', output: out, targetInput: 'target' },
      probeFeeds: feeds,
    })
    const target = randomFeeds('float64', { target: [4, 2] }, 10)
    const r = await run(gm.model, { ...feeds, ...target })
    const x = feeds.x?.data as Float64Array
    const w = feeds.w?.data as Float64Array
    const t = target.target?.data as Float64Array
    const y = r[out]?.data as Float64Array
    let loss = 0
    const grad = new Float64Array(6)
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 2; j++) {
        let yij = 0
        for (let k = 0; k < 3; k++) yij += (x[i * 3 + k] ?? 0) * (w[k * 2 + j] ?? 0)
        expect(y[i * 2 + j]).toBeCloseTo(yij, 12)
        const diff = yij - (t[i * 2 + j] ?? 0)
        loss += (diff * diff) / 8
        for (let k = 0; k < 3; k++)
          grad[k * 2 + j] = (grad[k * 2 + j] ?? 0) + (2 / 8) * diff * (x[i * 3 + k] ?? 0)
      }
    }
    expect((r.loss?.data as Float64Array)[0]).toBeCloseTo(loss, 12)
    Array.from(r['grad:w']?.data as Float64Array).forEach((v, i) =>
      expect(v).toBeCloseTo(grad[i] ?? NaN, 12),
    )
  })

  it('weighted MSE loss: mean of weighted squared error, checked by finite differences', async () => {
    const inputs = { x: [4, 3], w: [3, 2] }
    const model = testModel('float64', inputs, (g, v) => g.op('MatMul', [v.x ?? '', v.w ?? '']))
    const out = model.graph?.output[0]?.name ?? ''
    const feeds = randomFeeds('float64', inputs, 19)
    const gm = await buildGradientModel(model, {
      wrt: ['w'],
      loss: { kind: 'weighted-mse', output: out, targetInput: 'target', weightInput: 'weight' },
      probeFeeds: feeds,
    })
    const extra = randomFeeds('float64', { target: [4, 2], weight: [4, 2] }, 20)
    const weight = extra.weight?.data as Float64Array
    for (let i = 0; i < weight.length; i++) weight[i] = Math.abs(weight[i] ?? 0) + 0.1
    const lossAt = (w: Float64Array): number => {
      const x = feeds.x?.data as Float64Array
      const t = extra.target?.data as Float64Array
      let loss = 0
      for (let i = 0; i < 4; i++)
        for (let j = 0; j < 2; j++) {
          let y = 0
          for (let k = 0; k < 3; k++) y += (x[i * 3 + k] ?? 0) * (w[k * 2 + j] ?? 0)
          const d = y - (t[i * 2 + j] ?? 0)
          loss += ((weight[i * 2 + j] ?? 0) * d * d) / 8
        }
      return loss
    }
    const r = await run(gm.model, { ...feeds, ...extra })
    const w0 = feeds.w?.data as Float64Array
    expect((r.loss?.data as Float64Array)[0]).toBeCloseTo(lossAt(w0), 12)
    const grad = r['grad:w']?.data as Float64Array
    const h = 1e-6
    for (let i = 0; i < w0.length; i++) {
      const up = Float64Array.from(w0)
      const down = Float64Array.from(w0)
      up[i] = (up[i] ?? 0) + h
      down[i] = (down[i] ?? 0) - h
      const fd = (lossAt(up) - lossAt(down)) / (2 * h)
      expect(Math.abs((grad[i] ?? NaN) - fd)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fd)))
    }
  })

  it('scalar loss: the gradient of a dot product', async () => {
    const inputs = { a: [5], b: [5] }
    const model = testModel('float64', inputs, (g, v) => g.op('MatMul', [v.a ?? '', v.b ?? '']))
    const feeds = randomFeeds('float64', inputs, 11)
    const gm = await buildGradientModel(model, {
      wrt: ['a', 'b'],
      loss: { kind: 'scalar', output: model.graph?.output[0]?.name ?? '' },
      probeFeeds: feeds,
    })
    const r = await run(gm.model, feeds)
    expect(Array.from(r['grad:a']?.data as Float64Array)).toEqual(
      Array.from(feeds.b?.data as Float64Array),
    )
    expect(Array.from(r['grad:b']?.data as Float64Array)).toEqual(
      Array.from(feeds.a?.data as Float64Array),
    )
    expect(r.loss?.dims).toEqual([])
  })

  it('refuses bad specs with messages that say what to do', async () => {
    const g = new GraphBuilder({ opset: 14 })
    const x = g.input('x', 'float64', [2])
    const w = g.initializer(Float64Array.of(1, 2), [2], { name: 'weight' })
    g.op('Mul', [x, w], { output: 'out' })
    g.output('out', 'float64', [2])
    const feeds = randomFeeds('float64', { x: [2] }, 1)
    const loss = { kind: 'scalar', output: 'out' } as const
    await expect(
      buildGradientModel(g.build(), { wrt: ['weight'], loss, probeFeeds: feeds }),
    ).rejects.toThrow(/initializer; make it a graph input first/)
    await expect(
      buildGradientModel(g.build(), { wrt: ['x'], loss, probeFeeds: feeds }),
    ).rejects.toThrow(/must have one element/)
    await expect(
      buildGradientModel(g.build(), {
        wrt: ['x'],
        loss: { kind: 'scalar', output: 'nope' },
        probeFeeds: feeds,
      }),
    ).rejects.toThrow(/not a value of the model/)
  })

  it('the gradient check catches a wrong rule and reports the element', async () => {
    // Mul's rule with the operands swapped: right only where a and b happen to be equal.
    const wrongMul: GradRule = (node, [dy], ctx) => [
      ctx.op('Mul', [dy ?? '', node.input[0] ?? '']),
      ctx.op('Mul', [dy ?? '', node.input[1] ?? '']),
    ]
    const inputs = { a: [2, 3], b: [2, 3] }
    const model = testModel('float64', inputs, (g, v) => g.op('Mul', [v.a ?? '', v.b ?? '']))
    const check = gradCheck({
      model,
      feeds: randomFeeds('float64', inputs, 12),
      wrt: ['a', 'b'],
      output: model.graph?.output[0]?.name ?? '',
      dtype: 'float64',
      rules: { ...DEFAULT_RULES, Mul: wrongMul },
    })
    await expect(check).rejects.toThrow(
      /a: 6 of 6 checked elements off\n\s+\[\d, \d\] analytic -?\d/,
    )
  })
})
