/**
 * The gradient session's layout pass (GRADIENT_SESSION_OPTIONS, 'all'): weights a ConvTranspose
 * of the backward pass reads are pinned (overridable initializers), so ONNX Runtime reorders
 * only the other Conv weights into NCHWc, and the gradients match a plain 'basic' session.
 */
import * as ort from 'onnxruntime-node'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GraphBuilder, attr, decodeModel } from '../../../../src/main/engine/onnx'
import { buildGradientModel } from '../../../../src/main/engine/onnx/autodiff/build-gradient'
import {
  GRADIENT_SESSION_OPTIONS,
  openModelSession,
} from '../../../../src/main/engine/onnx/autodiff/session'
import { createNoiseSource } from '../../../../src/main/engine/sd/noise'

const C = 16

/** x [1,16,32,32] ─Conv a (3×3, stride 1: Conv form)─ Tanh ─Conv b (3×3, stride 2: ConvTranspose)─ */
function model(): { model: ReturnType<GraphBuilder['build']>; a: string; b: string; out: string } {
  const noise = createNoiseSource(3)
  const g = new GraphBuilder({ opset: 17 })
  const x = g.input('x', 'float32', [1, C, 32, 32])
  const a = g.initializer(noise.normal(C * C * 9).map((v) => v * 0.1), [C, C, 3, 3], { name: 'w_a' })
  const b = g.initializer(noise.normal(C * C * 9).map((v) => v * 0.1), [C, C, 3, 3], { name: 'w_b' })
  const h = g.op('Tanh', [g.op('Conv', [x, a], { attrs: { pads: attr.ints([1, 1, 1, 1]) } })])
  const out = g.op('Conv', [h, b], {
    attrs: { pads: attr.ints([1, 1, 1, 1]), strides: attr.ints([2, 2]) },
  })
  g.output(out, 'float32', [1, C, 16, 16])
  return { model: g.build(), a, b, out }
}

describe('gradient session layout', () => {
  it('pins the ConvTranspose weights, reorders the others, and computes the same gradient', async () => {
    const m = model()
    const noise = createNoiseSource(4)
    const feeds = { x: new ort.Tensor('float32', noise.normal(C * 32 * 32), [1, C, 32, 32]) }
    const gm = await buildGradientModel(m.model, {
      wrt: ['x'],
      loss: { kind: 'weighted-sum', output: m.out, weightInput: 'dy' },
      probeFeeds: feeds,
    })
    expect(gm.pinnedWeights).toEqual([m.b])
    expect(gm.model.graph?.input.map((i) => i.name)).toContain(m.b)
    const run = { ...feeds, dy: new ort.Tensor('float32', noise.normal(C * 16 * 16), [1, C, 16, 16]) }

    const dir = await mkdtemp(join(tmpdir(), 'realera-layout-'))
    try {
      const optimized = join(dir, 'optimized.onnx')
      const fast = await openModelSession(gm.model, {
        sessionOptions: { ...GRADIENT_SESSION_OPTIONS, optimizedModelFilePath: optimized },
      })
      const plain = await openModelSession(gm.model)
      const grad = gm.grads.x ?? ''
      const got = (await fast.session.run(run))[grad]?.data as Float32Array
      const want = (await plain.session.run(run))[grad]?.data as Float32Array
      await fast.dispose()
      await plain.dispose()
      let worst = 0
      let scale = 0
      want.forEach((w, i) => {
        worst = Math.max(worst, Math.abs(w - (got[i] ?? NaN)))
        scale = Math.max(scale, Math.abs(w))
      })
      // NCHWc kernels add in another order: float32 rounding, far below the gradients' scale.
      expect(worst / scale).toBeLessThan(1e-5)

      const nodes = decodeModel(await readFile(optimized)).graph?.node ?? []
      const nchwc = nodes.filter((n) => n.domain === 'com.microsoft.nchwc')
      expect(nchwc.some((n) => n.opType === 'Conv')).toBe(true)
      // The pinned weight feeds the plain forward Conv and the ConvTranspose, never a reordered copy.
      const readers = nodes.filter((n) => n.input.includes(m.b)).map((n) => `${n.domain}:${n.opType}`)
      expect(readers.sort()).toEqual([':Conv', ':ConvTranspose'])
      expect(nodes.some((n) => n.input.includes(m.a))).toBe(false)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
