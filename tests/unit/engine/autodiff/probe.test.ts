/**
 * The probe run that fixes shapes for the backward graph: every value's shape and type, the
 * values of shape sub-graphs, chunked runs, and models whose weights live in a side file.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as ort from 'onnxruntime-node'
import type { ModelProto } from 'onnx-buf'
import { afterAll, describe, expect, it } from 'vitest'
import { GraphBuilder, attr, readModel, writeModel } from '../../../../src/main/engine/onnx'
import { probeModel } from '../../../../src/main/engine/onnx/autodiff/probe'
import { randomFeeds } from '../../../helpers/grad-check'

const root = mkdtempSync(path.join(os.tmpdir(), 'realera-probe-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** x [b, 6] → Reshape to [b, 2, 3] through Shape/Gather/Concat, × W, > 0 mask, Where. */
function model(): ModelProto {
  const g = new GraphBuilder({ opset: 14 })
  const x = g.input('x', 'float32', ['batch', 6])
  const w = g.initializer(new Float32Array(3 * 5).fill(0.5), [3, 5], { name: 'w' })
  const i64 = (values: bigint[], dims: number[]): string =>
    g.initializer(BigInt64Array.from(values), dims)
  const shape = g.op('Shape', [x], { output: 'shape' })
  const batch = g.op('Gather', [shape, i64([0n], [])], {
    attrs: { axis: attr.int(0) },
    output: 'batch',
  })
  const target = g.op('Concat', [g.op('Unsqueeze', [batch, i64([0n], [1])]), i64([2n, 3n], [2])], {
    attrs: { axis: attr.int(0) },
    output: 'target',
  })
  const h = g.op('MatMul', [g.op('Reshape', [x, target], { output: 'reshaped' }), w], {
    output: 'h',
  })
  const mask = g.op('Greater', [h, g.initializer(Float32Array.of(0), [])], { output: 'mask' })
  g.op('Where', [mask, h, g.initializer(Float32Array.of(0), [])], { output: 'out' })
  g.output('out', 'float32', ['batch', 2, 5])
  return g.build()
}

const feeds = randomFeeds('float32', { x: [4, 6] }, 1)

describe('probeModel', () => {
  // First in the file, so an earlier test's peak cannot hide this one's.
  it('frees each probed value as a plain run would (peak memory of a 24-op chain)', async () => {
    const g = new GraphBuilder({ opset: 14 })
    let h = g.input('x', 'float32', ['rows', 4096])
    const c = g.initializer(Float32Array.of(1.5), [])
    for (let i = 0; i < 24; i++) h = g.op(i % 2 === 0 ? 'Add' : 'Mul', [h, c])
    g.output(h, 'float32', ['rows', 4096])
    const x = new ort.Tensor('float32', new Float32Array(1024 * 4096), [1024, 4096])
    const before = process.resourceUsage().maxRSS
    const probe = await probeModel(g.build(), { x })
    const grownMB = (process.resourceUsage().maxRSS - before) / 1024
    expect(probe.values.get(h)).toEqual({ shape: [1024, 4096], type: 'float32' })
    // Each value is 16 MB, 384 MB together: a probe that kept them alive until the end of the
    // run (as a naive layout of the probe nodes does in ORT) would grow the peak by that much.
    expect(grownMB).toBeLessThan(160)
  })

  it('records every value: shapes, types and the values of small integer tensors', async () => {
    const probe = await probeModel(model(), feeds)
    expect(probe.runs).toBe(1)
    expect(probe.values.get('x')).toEqual({ shape: [4, 6], type: 'float32' })
    expect(probe.values.get('w')).toEqual({ shape: [3, 5], type: 'float32' })
    expect(probe.values.get('shape')).toEqual({ shape: [2], type: 'int64' })
    expect(probe.values.get('reshaped')).toEqual({ shape: [4, 2, 3], type: 'float32' })
    expect(probe.values.get('mask')).toEqual({ shape: [4, 2, 5], type: 'bool' })
    expect(probe.values.get('out')).toEqual({ shape: [4, 2, 5], type: 'float32' })
    expect(probe.ints.get('shape')).toEqual([4, 6])
    expect(probe.ints.get('batch')).toEqual([4])
    expect(probe.ints.get('target')).toEqual([4, 2, 3])
    expect(probe.ints.has('h')).toBe(false)
  })

  it('gives the same answer in bounded chunks', async () => {
    const whole = await probeModel(model(), feeds)
    const chunked = await probeModel(model(), feeds, { maxValuesPerRun: 2 })
    const produced = model().graph?.node.flatMap((n) => n.output).length ?? 0
    expect(chunked.runs).toBe(Math.ceil(produced / 2))
    expect([...chunked.values]).toEqual([...whole.values])
    expect([...chunked.ints]).toEqual([...whole.ints])
  })

  it('records integer values only up to maxIntElements', async () => {
    const probe = await probeModel(model(), feeds, { maxIntElements: 2 })
    expect(probe.ints.get('shape')).toEqual([4, 6])
    expect(probe.ints.has('target')).toBe(false)
    expect(probe.values.get('target')).toEqual({ shape: [3], type: 'int64' })
  })

  it('loads models whose weights are in a side file, given their folder', async () => {
    const dir = path.join(root, 'external')
    const file = path.join(dir, 'model.onnx')
    mkdirSync(dir, { recursive: true })
    await writeModel(model(), file, { externalData: { fileName: 'weights.pb', minBytes: 16 } })
    const stored = await readModel(file)
    const probe = await probeModel(stored, feeds, { modelDir: dir })
    expect(probe.values.get('out')).toEqual({ shape: [4, 2, 5], type: 'float32' })
    await expect(probeModel(stored, feeds)).rejects.toThrow(/weights\.pb; pass the folder/)
  })

  it('names the inputs it has no feed for', async () => {
    await expect(probeModel(model(), {})).rejects.toThrow(/needs a feed for: x/)
    expect(feeds.x).toBeInstanceOf(ort.Tensor)
  })
})
