import { existsSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { cp } from 'node:fs/promises'
import path from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, describe, expect, it } from 'vitest'
import {
  readModel,
  readInitializer,
  setInitializer,
  writeModel,
} from '../../../src/main/engine/onnx'
import { createNoiseSource } from '../../../src/main/engine/sd/noise'
import { txt2img } from '../../../src/main/engine/sd/pipelines/txt2img'
import type { Txt2ImgInput } from '../../../src/main/engine/sd/pipelines/txt2img'
import { loadSdModel } from '../../../src/main/engine/sd/sd-model'
import type { LoadOptions, SdModel } from '../../../src/main/engine/sd/sd-model'
import type { UNetCall } from '../../../src/main/engine/sd/unet'
import { tempDir } from '../../helpers/temp-dir'
import { tinyModelFactory } from '../../helpers/tiny-models'

const tmp = tempDir('cleanup')
const tiny = tinyModelFactory(tmp.dir)
afterAll(() => tmp.cleanup())

const base: Txt2ImgInput = {
  prompt: 'a photo of a red circle',
  seed: 7,
  steps: 4,
  guidance: 7.5,
  scheduler: 'ddim',
  width: 64,
  height: 64,
}
const cpu = { provider: 'cpu', threads: 1 } as const

/** A batch-2 U-Net call on random inputs (8×8 latents, the tiny context width 32). */
function randomCall(seed: number): UNetCall {
  const noise = createNoiseSource(seed)
  return {
    sample: noise.normal(2 * 4 * 8 * 8),
    timestep: 501,
    context: noise.normal(2 * 77 * 32),
    batch: 2,
    latentHeight: 8,
    latentWidth: 8,
    contextLength: 77,
  }
}

/** The untouched unet/model.onnx in a plain ORT session: the reference for every comparison. */
async function originalOutput(dir: string, call: UNetCall): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(path.join(dir, 'unet', 'model.onnx'))
  try {
    const out = await session.run({
      sample: new ort.Tensor('float32', call.sample, [2, 4, 8, 8]),
      timestep: new ort.Tensor('int64', BigInt64Array.of(501n, 501n), [2]),
      encoder_hidden_states: new ort.Tensor('float32', call.context, [2, 77, 32]),
    })
    return out.out_sample!.data as Float32Array
  } finally {
    await session.release()
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(b.length).toBe(a.length)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!))
  return worst
}

async function withModel<T>(dir: string, o: LoadOptions, use: (m: SdModel) => Promise<T>) {
  const model = await loadSdModel(dir, o)
  try {
    return await use(model)
  } finally {
    await model.dispose()
  }
}

const bytesOf = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
const ortEntries = (cacheDir: string): string[] =>
  readdirSync(cacheDir).filter((n) => n.startsWith('ort-unet-'))

describe('graph cleanup at load (sd1-baddbmm)', () => {
  it('removes every baddbmm zero term and leaves the U-Net output unchanged (≤ 1e-6)', async () => {
    const { dir } = await tiny('sd1-baddbmm')
    const cache = tempDir('cleanup-cache')
    try {
      for (const seed of [1, 2, 3]) {
        const call = randomCall(seed)
        const reference = await originalOutput(dir, call)
        const cleaned = await withModel(dir, { ...cpu, cacheDir: cache.dir }, async (m) => {
          expect(m.unetGraph.cleanup).toMatchObject({ zeroAdds: 12, expanded: 0 })
          return m.unet.run(call)
        })
        expect(maxAbsDiff(reference, cleaned)).toBeLessThanOrEqual(1e-6)
        expect(cleaned.every(Number.isFinite)).toBe(true)
      }
      // The cleaned graph the session was made from has no ConstantOfShape left.
      const cleanDir = readdirSync(cache.dir).find((n) => n.startsWith('unet-clean-'))!
      const cleaned = await readModel(path.join(cache.dir, cleanDir, 'model.onnx'))
      expect(cleaned.graph!.node.some((n) => n.opType === 'ConstantOfShape')).toBe(false)
    } finally {
      cache.cleanup()
    }
  })

  it('generates the same PNG as with cleanup disabled', async () => {
    const { dir } = await tiny('sd1-baddbmm')
    const cache = tempDir('cleanup-png')
    try {
      const off = { ...cpu, cacheDir: cache.dir, graphCleanup: false }
      const plain = await withModel(dir, off, async (m) => {
        expect(m.unetGraph.cleanup).toBeNull()
        return (await txt2img(m, base)).png
      })
      const on = { ...cpu, cacheDir: cache.dir }
      const cleaned = await withModel(dir, on, async (m) => (await txt2img(m, base)).png)
      expect(cleaned.equals(plain)).toBe(true)
    } finally {
      cache.cleanup()
    }
  })

  it('builds the K/V-as-inputs U-Net from the cleaned graph', async () => {
    const { dir, facts } = await tiny('sd1-baddbmm')
    const cache = tempDir('cleanup-kv')
    try {
      const call = randomCall(4)
      const reference = await originalOutput(dir, call)
      const got = await withModel(dir, { ...cpu, cacheDir: cache.dir, kvInputs: true }, (m) => {
        expect(m.unet.inputNames.length).toBe(3 + facts.crossAttention.length)
        return m.unet.run({ ...call, extra: m.kvWeights ?? {} })
      })
      expect(maxAbsDiff(reference, got)).toBeLessThan(1e-5)
      const kvDir = readdirSync(cache.dir).find((n) => n.startsWith('unet-kv-'))!
      const kvGraph = await readModel(path.join(cache.dir, kvDir, 'model.onnx'))
      expect(kvGraph.graph!.node.some((n) => n.opType === 'ConstantOfShape')).toBe(false)
    } finally {
      cache.cleanup()
    }
  })
})

describe("ONNX Runtime's optimized-graph cache", () => {
  it('is written on the first load and used on the second, with byte-identical output', async () => {
    const { dir } = await tiny('sd1-baddbmm')
    const cache = tempDir('ort-cache')
    try {
      const o = { ...cpu, cacheDir: cache.dir }
      const call = randomCall(5)
      const first = await withModel(dir, o, async (m) => {
        expect(m.unetGraph.optimizedCache).toBe('written')
        expect(m.unetGraph.optimizedGraphFile).not.toBeNull()
        expect(existsSync(m.unetGraph.optimizedGraphFile!)).toBe(true)
        return { out: await m.unet.run(call), png: (await txt2img(m, base)).png }
      })
      const second = await withModel(dir, o, async (m) => {
        expect(m.unetGraph.optimizedCache).toBe('hit')
        expect(m.unetGraph.path).toBe(m.unetGraph.optimizedGraphFile)
        expect(m.unetGraph.cleanup).toMatchObject({ zeroAdds: 12 }) // kept in the entry
        return { out: await m.unet.run(call), png: (await txt2img(m, base)).png }
      })
      expect(bytesOf(second.out).equals(bytesOf(first.out))).toBe(true)
      expect(second.png.equals(first.png)).toBe(true)
      // Initializers went to a side file, as they must for models over 2 GB.
      const entry = path.dirname(entryFile(cache.dir))
      expect(statSync(path.join(entry, 'model.onnx.data')).size).toBeGreaterThan(
        statSync(path.join(entry, 'model.onnx')).size,
      )
    } finally {
      cache.cleanup()
    }
  })

  it.each([
    ['a corrupted model file', (entry: string) => garble(path.join(entry, 'model.onnx'))],
    [
      'a truncated weights file',
      (entry: string) => truncateSync(path.join(entry, 'model.onnx.data'), 100),
    ],
    [
      'an unreadable manifest',
      (entry: string) => writeFileSync(path.join(entry, 'manifest.json'), '{'),
    ],
  ])('falls back to a normal load after %s, and rebuilds the entry', async (_, damage) => {
    const { dir } = await tiny('sd1-baddbmm')
    const cache = tempDir('ort-corrupt')
    try {
      const call = randomCall(6)
      const logged: string[] = []
      const o = { ...cpu, cacheDir: cache.dir, log: (m: string) => logged.push(m) }
      const good = await withModel(dir, o, (m) => m.unet.run(call))
      damage(path.dirname(entryFile(cache.dir)))
      const after = await withModel(dir, o, async (m) => {
        expect(m.unetGraph.optimizedCache).toBe('written')
        expect(m.unetGraph.cacheNote).toMatch(/could not be used/)
        return m.unet.run(call)
      })
      expect(logged).toHaveLength(1)
      expect(logged[0]).toMatch(
        /cached optimized graph .* could not be used \(.+\); it was deleted/,
      )
      expect(bytesOf(after).equals(bytesOf(good))).toBe(true)
      const again = await withModel(dir, o, async (m) => {
        expect(m.unetGraph.optimizedCache).toBe('hit')
        return m.unet.run(call)
      })
      expect(bytesOf(again).equals(bytesOf(good))).toBe(true)
      expect(ortEntries(cache.dir)).toHaveLength(1)
    } finally {
      cache.cleanup()
    }
  })

  it('gives an edited model a new entry and removes the old one', async () => {
    const { dir: original } = await tiny('sd1-baddbmm')
    const work = tempDir('ort-edit')
    const cache = tempDir('ort-edit-cache')
    try {
      const dir = path.join(work.dir, 'model')
      await cp(original, dir, { recursive: true })
      const call = randomCall(7)
      const o = { ...cpu, cacheDir: cache.dir }
      const before = await withModel(dir, o, (m) => m.unet.run(call))
      const [oldEntry] = ortEntries(cache.dir)
      // Halve conv_out's weights, as an edit of the file in place would.
      const file = path.join(dir, 'unet', 'model.onnx')
      const unet = await readModel(file)
      const w = await readInitializer(unet, 'conv_out.weight', path.dirname(file))
      const halved = Float32Array.from(w.data as Float32Array, (x) => x / 2)
      setInitializer(unet, 'conv_out.weight', { dims: w.dims, data: halved })
      await writeModel(unet, file)
      const after = await withModel(dir, o, async (m) => {
        expect(m.unetGraph.optimizedCache).toBe('written')
        return m.unet.run(call)
      })
      expect(bytesOf(after).equals(bytesOf(before))).toBe(false)
      expect(ortEntries(cache.dir)).toHaveLength(1)
      expect(ortEntries(cache.dir)[0]).not.toBe(oldEntry)
    } finally {
      work.cleanup()
      cache.cleanup()
    }
  })
})

/** The optimized model file of the only ORT cache entry. */
function entryFile(cacheDir: string): string {
  const entries = ortEntries(cacheDir)
  expect(entries).toHaveLength(1)
  return path.join(cacheDir, entries[0]!, 'model.onnx')
}

/** Overwrites a file with garbage of the same length (the manifest's sizes still match). */
function garble(file: string): void {
  const size = statSync(file).size
  writeFileSync(file, Buffer.alloc(size, 0xa5))
}
