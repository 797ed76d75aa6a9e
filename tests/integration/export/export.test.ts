import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Experiment, Project } from '../../../src/shared/contract'
import { erasureParamsSchema, exportOptionsSchema, gallerySettingsSchema } from '../../../src/shared/contract'
import { applyTransform } from '../../../src/main/engine/erasure/closed-form'
import type { SharedTransform } from '../../../src/main/engine/erasure/closed-form'
import { importLora } from '../../../src/main/engine/export/lora-import'
import { decodeSafeTensors, encodeSafeTensors, fromFloat32Array, toFloat32Array } from '../../../src/main/engine/export/safetensors'
import { OrtMatMul } from '../../../src/main/engine/linalg/ort-matmul'
import { decodePng } from '../../../src/main/engine/sd/png'
import { txt2img } from '../../../src/main/engine/sd/pipelines/txt2img'
import { loadSdModel } from '../../../src/main/engine/sd/sd-model'
import { loraFeeds } from '../../../src/main/services/lora-weights'
import { inProcessHost, testContext } from '../../helpers/in-process-host'
import { tinyModelFactory } from '../../helpers/tiny-models'

const host = inProcessHost('export')
const tiny = tinyModelFactory(path.join(host.root, 'models'))
let project: Project
let exp: Experiment
let modelDir: string
afterAll(() => host.close())

beforeAll(async () => {
  modelDir = (await tiny('sd1')).dir
  project = await host.s.projects.create({ name: 'Export' })
  const model = await host.s.models.register(project, { dir: modelDir }, testContext())
  exp = await host.s.erase.run(
    project,
    {
      kind: 'erase',
      projectId: project.id,
      modelId: model.id,
      spec: { preset: 'custom', concepts: [{ concept: 'van gogh', anchor: 'art', templates: ['a painting in the style of {}'] }], preserve: ['monet'], probes: [] },
      params: erasureParamsSchema.parse({ variant: 'mining-beyond', m: 6, n: 6 }),
      gallery: gallerySettingsSchema.parse({ enabled: false }),
    },
    testContext(),
  )
})

const rel = (a: Float32Array, b: Float32Array): number => {
  let num = 0
  let den = 0
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2
    den += b[i]! ** 2
  }
  return Math.sqrt(num / den)
}

describe('LoRA export', () => {
  it('a rank that fits reconstructs ΔW to float32 precision; import gives back the edit', async () => {
    // The tiny context is 32 wide, so ΔW = W(T − I) has rank ≤ 32: rank 32 is exact.
    const out = path.join(project.dir, 'exports', 'exact.safetensors')
    const record = await host.s.exports.run(project, { kind: 'export', projectId: project.id, experimentId: exp.id, options: exportOptionsSchema.parse({ format: 'kohya', rank: 32, dtype: 'fp32' }), out }, testContext())
    expect(record.layers).toHaveLength(12)
    for (const l of record.layers) expect(l.relError).toBeLessThan(1e-6)
    const { deltas } = host.s.exports.layerDeltas(project, exp.id)
    const model = await loadSdModel(modelDir, { provider: 'cpu', threads: 1 })
    try {
      const imported = importLora(decodeSafeTensors(readFileSync(out)), model.kv.projections)
      expect(imported.unmatched).toEqual([])
      for (const d of deltas) expect(rel(imported.deltas.get(d.path)!, d.delta)).toBeLessThan(1e-5)
    } finally {
      await model.dispose()
    }
    expect(host.s.exports.list(project, exp.id)[0]?.sha256).toBe(record.sha256)
  })

  it('a truncated rank reports exactly the error the file reproduces (fp16 included)', async () => {
    const out = path.join(project.dir, 'exports', 'r2.safetensors')
    const record = await host.s.exports.run(project, { kind: 'export', projectId: project.id, experimentId: exp.id, options: exportOptionsSchema.parse({ format: 'peft', rank: 2, dtype: 'fp16' }), out }, testContext())
    const { deltas } = host.s.exports.layerDeltas(project, exp.id)
    const model = await loadSdModel(modelDir, { provider: 'cpu', threads: 1 })
    try {
      const imported = importLora(decodeSafeTensors(readFileSync(out)), model.kv.projections)
      for (const l of record.layers) {
        const truth = deltas.find((d) => d.path === l.path)!.delta
        expect(l.relError).toBeGreaterThan(1e-3)
        expect(rel(imported.deltas.get(l.path)!, truth)).toBeCloseTo(l.relError, 5)
      }
    } finally {
      await model.dispose()
    }
  })

  it('generating with the imported LoRA matches the experiment’s own edited model', async () => {
    const out = path.join(project.dir, 'exports', 'gen.safetensors')
    await host.s.exports.run(project, { kind: 'export', projectId: project.id, experimentId: exp.id, options: exportOptionsSchema.parse({ format: 'kohya', rank: 32, dtype: 'fp32' }), out }, testContext())
    const edit = decodeSafeTensors(readFileSync(path.join(project.dir, exp.artifactPath!)))
    const tTorch = toFloat32Array(edit.tensors.get('T')!)
    const d = 32
    const tt = new Float64Array(d * d)
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) tt[j * d + i] = tTorch[i * d + j]!
    const transform: SharedTransform = { dim: d, tt, sourceRows: 0, preserveRows: 0 }
    const mm = new OrtMatMul(1)
    const model = await loadSdModel(modelDir, { provider: 'cpu', threads: 1, kvInputsCacheDir: path.join(host.root, 'kv') })
    try {
      const params = { prompt: 'a painting in the style of van gogh', seed: 5, steps: 8, guidance: 7.5, scheduler: 'ddim' as const, width: 64, height: 64 }
      const own = await txt2img(model, params, { transformContext: (h) => applyTransform(h, transform, mm), unetFeeds: model.kvWeights ?? {} })
      const viaLora = await txt2img(model, params, { unetFeeds: loraFeeds(model, out, 1).feeds })
      const plain = await txt2img(model, params, { unetFeeds: model.kvWeights ?? {} })
      const diff = (a: Buffer, b: Buffer): number => {
        const x = decodePng(a).rgba
        const y = decodePng(b).rgba
        let m = 0
        for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!))
        return m
      }
      // Measured: at most 1 level apart (float rounding of E·Tᵀ vs W·T), while the edit itself
      // moves pixels by tens of levels.
      expect(diff(own.png, viaLora.png)).toBeLessThanOrEqual(1)
      expect(diff(own.png, plain.png)).toBeGreaterThan(10)
    } finally {
      await model.dispose()
      await mm.dispose()
    }
  })
})

describe('LoRA import refuses bad files', () => {
  it('a LoRA for another architecture, naming the first mismatching key', async () => {
    const model = await loadSdModel(modelDir, { provider: 'cpu', threads: 1 })
    try {
      const stem = 'lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn2_to_k'
      const file = new Map([
        [`${stem}.lora_down.weight`, fromFloat32Array(new Float32Array(4 * 768), [4, 768], 'F32')],
        [`${stem}.lora_up.weight`, fromFloat32Array(new Float32Array(64 * 4), [64, 4], 'F32')],
        ['lora_te_text_model_encoder_layers_0_mlp_fc1.lora_down.weight', fromFloat32Array(new Float32Array(4), [1, 4], 'F32')],
      ])
      const parsed = decodeSafeTensors(encodeSafeTensors(file))
      expect(() => importLora(parsed, model.kv.projections)).toThrow(new RegExp(`${stem}.lora_down.weight has shape \\[4, 768\\] but this model's .* needs \\[r, 32\\]`))
    } finally {
      await model.dispose()
    }
  })
})

describe('writes leave no partial file', () => {
  it('a read-only target fails cleanly', async () => {
    await expect(
      host.s.exports.run(project, { kind: 'export', projectId: project.id, experimentId: exp.id, options: exportOptionsSchema.parse({ format: 'kohya', rank: 4, dtype: 'fp16' }), out: '/proc/realera/x.safetensors' }, testContext()),
    ).rejects.toThrow(/Could not write|not writable|ENOENT/)
  })

  it('a full disk leaves neither the file nor its temporary, for a LoRA and for a merged model', async (ctx) => {
    const mount = path.join(host.root, 'full')
    mkdirSync(mount)
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48k', 'tmpfs', mount])
    } catch {
      ctx.skip('needs permission to mount a small tmpfs (root); skipped')
    }
    try {
      writeFileSync(path.join(mount, 'filler'), Buffer.alloc(40 * 1024))
      const options = exportOptionsSchema.parse({ format: 'kohya', rank: 32, dtype: 'fp32', fullRank: true })
      await expect(host.s.exports.run(project, { kind: 'export', projectId: project.id, experimentId: exp.id, options, out: path.join(mount, 'lora.safetensors') }, testContext())).rejects.toThrow(/No partial file was left/)
      await expect(host.s.exports.run(project, { kind: 'export', projectId: project.id, experimentId: exp.id, options: exportOptionsSchema.parse({ format: 'merged' }), out: path.join(mount, 'merged') }, testContext())).rejects.toThrow(/Nothing was left behind/)
      expect(readdirSync(mount)).toEqual(['filler'])
    } finally {
      execFileSync('umount', [mount])
    }
    expect(existsSync(path.join(mount, 'lora.safetensors'))).toBe(false)
  })
})
