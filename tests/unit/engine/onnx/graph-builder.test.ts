import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { TensorProto_DataType } from 'onnx-buf'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  GraphBuilder,
  attr,
  encodeModel,
  intAttribute,
  intsAttribute,
  makeTensorProto,
  writeModel,
} from '../../../../src/main/engine/onnx'

let root = ''
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'realera-graph-builder-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

async function session(g: GraphBuilder, name: string): Promise<ort.InferenceSession> {
  const file = path.join(root, `${name}.onnx`)
  await writeModel(g.build(), file)
  return ort.InferenceSession.create(file)
}

describe('GraphBuilder', () => {
  it('keeps names unique the way exporters do', () => {
    const g = new GraphBuilder()
    expect(g.uniqueValueName('a')).toBe('a')
    expect(g.uniqueValueName('a')).toBe('a_1')
    expect(g.uniqueValueName('a')).toBe('a_2')
    const x = g.input('x', 'float32', [1])
    const first = g.node('Relu', [x], { name: '/block/Relu' })
    const second = g.node('Relu', [x], { name: '/block/Relu' })
    expect(first).toEqual(['/block/Relu_output_0'])
    expect(second).toEqual(['/block/Relu_1_output_0'])
    const reserved = g.uniqueNodeName('/block/Relu')
    expect(reserved).toBe('/block/Relu_2')
    g.node('Relu', [x], { name: reserved })
    const nodes = g.build().graph?.node.map((n) => n.name)
    expect(nodes).toEqual(['/block/Relu', '/block/Relu_1', '/block/Relu_2'])
  })

  it('refuses undefined inputs, duplicate values and outputs nobody produces', () => {
    const g = new GraphBuilder()
    const x = g.input('x', 'float32', [1])
    expect(() => g.op('Relu', ['y'])).toThrow(/Relu node reads y, which is not defined/)
    expect(() => g.input('x', 'float32', [1])).toThrow(/already used/)
    expect(() => g.output('z', 'float32', [1])).toThrow(/not produced/)
    expect(() => g.initializer(new Float32Array(3), [2])).toThrow(/dims \[2\] do not match 3/)
    expect(g.op('Relu', [x])).toMatch(/^Relu_\d+_output_0$/)
    expect(g.build().graph?.node).toHaveLength(1) // failed calls left nothing behind
  })

  it('builds a model ORT runs, with symbolic dims and every attribute kind', async () => {
    const g = new GraphBuilder({ opset: 14 })
    const x = g.input('x', 'float32', ['batch', 'height', 4])
    const bias = g.initializer(Float32Array.from([1, 2, 3, 4]), [4])
    // tensor (Constant), float (LeakyRelu), ints (Transpose), int (Softmax); ORT checks them.
    const constant = g.op('Constant', [], {
      attrs: { value: attr.tensor(makeTensorProto('c', [4], Float32Array.from([10, 20, 30, 40]))) },
    })
    const shifted = g.op('Add', [g.op('Add', [x, bias]), constant])
    const leaky = g.op('LeakyRelu', [shifted], { attrs: { alpha: attr.float(0.5) } })
    const swapped = g.op('Transpose', [leaky], { attrs: { perm: attr.ints([0, 2, 1]) } })
    g.op('Softmax', [swapped], { attrs: { axis: attr.int(-1) }, output: 'y' })
    g.output('y', 'float32', ['batch', 4, 'height'])
    const s = await session(g, 'attrs')
    try {
      expect(s.inputMetadata[0]).toMatchObject({ name: 'x', shape: ['batch', 'height', 4] })
      const input = Float32Array.from([-100, 0, 1, 2, -50, -40, 5, 6]) // [1, 2, 4]
      const y = (await s.run({ x: new ort.Tensor('float32', input, [1, 2, 4]) })).y
      expect(y?.dims).toEqual([1, 4, 2])
      // column 0: leaky(-100+1+10) = -44.5 vs leaky(-50+1+10) = -19.5 → softmax over height
      const e = Math.exp(-44.5 - -19.5)
      expect(y?.data[0]).toBeCloseTo(e / (1 + e), 6)
    } finally {
      await s.release()
    }
  })

  it('writes opset imports (17 gives LayerNormalization) and reads attributes back', async () => {
    const g = new GraphBuilder({ opset: 17, producerName: 'test' })
    const x = g.input('x', 'float32', [2, 3])
    const scale = g.initializer(Float32Array.from([1, 1, 1]), [3])
    const shift = g.initializer(Float32Array.from([0, 0, 0]), [3])
    g.op('LayerNormalization', [x, scale, shift], {
      name: 'ln',
      attrs: { axis: attr.int(-1), epsilon: attr.float(1e-5) },
      output: 'y',
    })
    g.output('y', 'float32', [2, 3])
    const model = g.build()
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]])
    expect(encodeModel(model).byteLength).toBeGreaterThan(0)
    const node = model.graph?.node[0]
    if (node === undefined) throw new Error('no node')
    expect(intAttribute(node, 'axis')).toBe(-1)
    expect(intAttribute(node, 'missing', 7)).toBe(7)
    expect(() => intAttribute(node, 'epsilon')).toThrow(/not an int/)
    const s = await session(g, 'layernorm')
    try {
      const y = (
        await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 0, 0, 3]), [2, 3]) })
      ).y
      expect(Array.from(y?.data as Float32Array).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([
        -1.2247, 0, 1.2247, -0.7071, -0.7071, 1.4142,
      ])
    } finally {
      await s.release()
    }
  })

  it('encodes string, floats and ints attributes', () => {
    const g = new GraphBuilder()
    const x = g.input('x', 'float32', [1])
    g.op('Custom', [x], {
      domain: 'test.domain',
      attrs: {
        mode: attr.string('nearest'),
        weights: attr.floats([0.5, 0.25]),
        pads: attr.ints([1, 2n]),
      },
    })
    const node = g.build().graph?.node[0]
    if (node === undefined) throw new Error('no node')
    expect(node.domain).toBe('test.domain')
    const byName = new Map(node.attribute.map((a) => [a.name, a]))
    expect(new TextDecoder().decode(byName.get('mode')?.s)).toBe('nearest')
    expect(byName.get('weights')?.floats).toEqual([0.5, 0.25])
    expect(intsAttribute(node, 'pads')).toEqual([1, 2])
  })

  it('stores int64 initializers for shape inputs', async () => {
    const g = new GraphBuilder()
    const x = g.input('x', 'float32', ['n', 6])
    const shape = g.initializer(BigInt64Array.from([0n, 2n, 3n]), [3], {
      dataType: TensorProto_DataType.INT64,
    })
    g.op('Reshape', [x, shape], { output: 'y' })
    g.output('y', 'float32', ['n', 2, 3])
    const s = await session(g, 'reshape')
    try {
      const y = (await s.run({ x: new ort.Tensor('float32', new Float32Array(12), [2, 6]) })).y
      expect(y?.dims).toEqual([2, 2, 3])
    } finally {
      await s.release()
    }
  })
})
