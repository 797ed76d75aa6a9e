import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readModel } from '../../../../src/main/engine/onnx'
import { TINY_VARIANTS, writeTinyPipeline } from '../../../../src/main/engine/tiny'
import type { TinyPipelineFacts, TinyVariant } from '../../../../src/main/engine/tiny'

type Variant = Exclude<TinyVariant, 'sd15-width'>
const VARIANTS = TINY_VARIANTS.filter((v): v is Variant => v !== 'sd15-width')
const SEED = 42
const BATCH = 2
const LATENT = 8

/** What each variant must look like, written out independently of the generator's facts. */
const EXPECTED: Record<
  Variant,
  {
    ctx: number
    inputIds: 'int32' | 'int64'
    timestep: { type: 'int64' | 'float32'; shape: (string | number)[] }
    opset: number
    external: string | undefined
    encoder: 'latent_sample' | 'latent_parameters' | undefined
    prediction: 'epsilon' | 'v_prediction'
    named: boolean
  }
> = {
  sd1: {
    ctx: 32,
    inputIds: 'int32',
    timestep: { type: 'int64', shape: ['batch'] },
    opset: 14,
    external: undefined,
    encoder: 'latent_sample',
    prediction: 'epsilon',
    named: true,
  },
  'sd1-torch2': {
    ctx: 32,
    inputIds: 'int32',
    timestep: { type: 'int64', shape: ['batch'] },
    opset: 14,
    external: 'model.onnx_data',
    encoder: undefined,
    prediction: 'epsilon',
    named: true,
  },
  'sd1-opset17': {
    ctx: 32,
    inputIds: 'int32',
    timestep: { type: 'int64', shape: ['batch'] },
    opset: 17,
    external: undefined,
    encoder: undefined,
    prediction: 'epsilon',
    named: true,
  },
  'sd1-float-timestep': {
    ctx: 32,
    inputIds: 'int64',
    timestep: { type: 'float32', shape: ['batch'] },
    opset: 14,
    external: undefined,
    encoder: 'latent_parameters',
    prediction: 'epsilon',
    named: true,
  },
  'sd1-no-names': {
    ctx: 32,
    inputIds: 'int32',
    timestep: { type: 'float32', shape: [] },
    opset: 14,
    external: 'weights.pb',
    encoder: undefined,
    prediction: 'epsilon',
    named: false,
  },
  sd2: {
    ctx: 48,
    inputIds: 'int32',
    timestep: { type: 'int64', shape: ['batch'] },
    opset: 14,
    external: undefined,
    encoder: undefined,
    prediction: 'v_prediction',
    named: true,
  },
  'sd1-baddbmm': {
    ctx: 32,
    inputIds: 'int32',
    timestep: { type: 'int64', shape: ['batch'] },
    opset: 14,
    external: undefined,
    encoder: undefined,
    prediction: 'epsilon',
    named: true,
  },
}

/** diffusers' module paths of the cross-attention K/V in the tiny config (32, 64). */
const KV_PATHS = [
  'down_blocks.1.attentions.0',
  'down_blocks.1.attentions.1',
  'mid_block.attentions.0',
  'up_blocks.0.attentions.0',
  'up_blocks.0.attentions.1',
  'up_blocks.0.attentions.2',
].flatMap((p) => ['to_k', 'to_v'].map((kv) => `${p}.transformer_blocks.0.attn2.${kv}`))

let root = ''
const facts = new Map<Variant, TinyPipelineFacts>()
const dirOf = (v: Variant): string => path.join(root, v)
const factsOf = (v: Variant): TinyPipelineFacts => {
  const f = facts.get(v)
  if (f === undefined) throw new Error(`${v} was not generated`)
  return f
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'realera-tiny-'))
  for (const v of VARIANTS)
    facts.set(v, await writeTinyPipeline(dirOf(v), { variant: v, seed: SEED }))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const json = (dir: string, file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>

async function withSession<T>(
  file: string,
  use: (s: ort.InferenceSession) => Promise<T>,
): Promise<T> {
  const session = await ort.InferenceSession.create(file)
  try {
    return await use(session)
  } finally {
    await session.release()
  }
}

function expectFinite(t: ort.Tensor | undefined, dims: number[]): Float32Array {
  expect(t?.dims).toEqual(dims)
  const data = t?.data as Float32Array
  expect(data.every(Number.isFinite)).toBe(true)
  return data
}

/** Runs text encoder → U-Net on fixed inputs; returns the U-Net output. */
async function denoiseOnce(v: Variant): Promise<Float32Array> {
  const dir = dirOf(v)
  const e = EXPECTED[v]
  const { tokenizer } = factsOf(v)
  const ids = Array.from({ length: BATCH * 77 }, (_, i) => {
    const pos = i % 77
    return pos === 0
      ? tokenizer.bosId
      : pos < 6
        ? 100 + i
        : pos === 6
          ? tokenizer.eosId
          : tokenizer.padId
  })
  const inputIds =
    e.inputIds === 'int32'
      ? new ort.Tensor('int32', Int32Array.from(ids), [BATCH, 77])
      : new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [BATCH, 77])
  const context = await withSession(path.join(dir, 'text_encoder/model.onnx'), async (s) => {
    expect(s.inputMetadata[0]).toMatchObject({
      name: 'input_ids',
      type: e.inputIds,
      shape: ['batch', 77],
    })
    const out = await s.run({ input_ids: inputIds })
    expectFinite(out.pooler_output, [BATCH, e.ctx])
    expectFinite(out.last_hidden_state, [BATCH, 77, e.ctx])
    return out.last_hidden_state
  })
  if (context === undefined) throw new Error('no last_hidden_state')
  return withSession(path.join(dir, 'unet/model.onnx'), async (s) => {
    const meta = s.inputMetadata.find((m) => m.name === 'timestep')
    expect(meta).toMatchObject(e.timestep)
    const timestep =
      e.timestep.type === 'int64'
        ? new ort.Tensor('int64', BigInt64Array.from([501n, 501n]), [BATCH])
        : new ort.Tensor(
            'float32',
            Float32Array.from(e.timestep.shape.length === 0 ? [501] : [501, 501]),
            e.timestep.shape.length === 0 ? [] : [BATCH],
          )
    const sample = new ort.Tensor('float32', latents(), [BATCH, 4, LATENT, LATENT])
    const out = await s.run({ sample, timestep, encoder_hidden_states: context })
    return expectFinite(out.out_sample, [BATCH, 4, LATENT, LATENT])
  })
}

const latents = (): Float32Array =>
  Float32Array.from({ length: BATCH * 4 * LATENT * LATENT }, (_, i) => Math.sin(i * 1.3))

describe.each(VARIANTS)('tiny pipeline %s', (variant) => {
  const e = EXPECTED[variant]

  it('writes the diffusers ONNX folder layout', () => {
    const dir = dirOf(variant)
    const f = factsOf(variant)
    const models = ['text_encoder', 'unet', 'vae_decoder', ...(e.encoder ? ['vae_encoder'] : [])]
    const expected = [
      'model_index.json',
      'scheduler/scheduler_config.json',
      ...['vocab.json', 'merges.txt', 'tokenizer_config.json', 'special_tokens_map.json'].map(
        (t) => `tokenizer/${t}`,
      ),
      ...models.map((m) => `${m}/model.onnx`),
      ...(e.external ? [`unet/${e.external}`] : []),
      // Optimum-style exports carry the U-Net's config (K/V naming needs it without node names).
      ...(['sd1-float-timestep', 'sd1-no-names', 'sd2'].includes(variant) ? ['unet/config.json'] : []),
    ]
    expect(f.files).toEqual(expected.sort())
    for (const file of f.files) expect(existsSync(path.join(dir, file))).toBe(true)
    expect(existsSync(path.join(dir, 'vae_encoder'))).toBe(e.encoder !== undefined)

    const index = json(dir, 'model_index.json')
    expect(index._diffusers_version).toMatch(/^\d+\.\d+\.\d+$/)
    if (variant === 'sd1-float-timestep') {
      expect(index).toMatchObject({
        _class_name: 'StableDiffusionPipeline',
        vae: ['diffusers', 'AutoencoderKL'],
      })
    } else {
      expect(index).toMatchObject({
        _class_name: 'OnnxStableDiffusionPipeline',
        unet: ['diffusers', 'OnnxRuntimeModel'],
        text_encoder: ['diffusers', 'OnnxRuntimeModel'],
        vae_decoder: ['diffusers', 'OnnxRuntimeModel'],
        tokenizer: ['transformers', 'CLIPTokenizer'],
        scheduler: ['diffusers', 'PNDMScheduler'],
      })
    }
    expect(json(dir, 'scheduler/scheduler_config.json')).toMatchObject({
      _class_name: 'PNDMScheduler',
      beta_start: 0.00085,
      beta_end: 0.012,
      beta_schedule: 'scaled_linear',
      num_train_timesteps: 1000,
      steps_offset: 1,
      skip_prk_steps: true,
      set_alpha_to_one: false,
      prediction_type: e.prediction,
    })
  })

  it('writes CLIP tokenizer files with the right pad token', () => {
    const dir = dirOf(variant)
    const vocab = json(dir, 'tokenizer/vocab.json')
    expect(Object.keys(vocab)).toHaveLength(1000)
    const merges = readFileSync(path.join(dir, 'tokenizer/merges.txt'), 'utf8').split('\n')
    expect(merges[0]).toBe('#version: 0.2')
    const special = json(dir, 'tokenizer/special_tokens_map.json')
    const { tokenizer } = factsOf(variant)
    expect(vocab['<|endoftext|>']).toBe(tokenizer.eosId)
    expect(vocab['<|startoftext|>']).toBe(tokenizer.bosId)
    if (variant === 'sd2') {
      expect(special.pad_token).toBe('!')
      expect(tokenizer.padId).toBe(0)
    } else {
      expect(special.pad_token).toBe('<|endoftext|>')
      expect(tokenizer.padId).toBe(tokenizer.eosId)
    }
    expect(json(dir, 'tokenizer/tokenizer_config.json')).toMatchObject({
      model_max_length: 77,
      tokenizer_class: 'CLIPTokenizer',
    })
  })

  it('runs every component in ONNX Runtime with finite outputs (batch 2, 8×8 latents)', async () => {
    await denoiseOnce(variant)
    const dir = dirOf(variant)
    const decoded = await withSession(path.join(dir, 'vae_decoder/model.onnx'), async (s) => {
      const out = await s.run({
        latent_sample: new ort.Tensor('float32', latents(), [BATCH, 4, LATENT, LATENT]),
      })
      expectFinite(out.sample, [BATCH, 3, 8 * LATENT, 8 * LATENT])
      return out.sample
    })
    if (e.encoder === undefined || decoded === undefined) return
    const name = e.encoder
    await withSession(path.join(dir, 'vae_encoder/model.onnx'), async (s) => {
      const out = await s.run({ sample: decoded })
      expectFinite(out[name], [BATCH, name === 'latent_parameters' ? 8 : 4, LATENT, LATENT])
    })
  })

  it('exposes cross-attention K/V only as MatMul(encoder_hidden_states, [ctx, C] initializer)', async () => {
    const dir = dirOf(variant)
    const model = await readModel(path.join(dir, 'unet/model.onnx'))
    const graph = model.graph
    if (graph === undefined) throw new Error('no graph')
    expect(model.opsetImport.map((o) => Number(o.version))).toEqual([e.opset])
    const initializers = new Map(graph.initializer.map((t) => [t.name, t.dims.map(Number)]))
    const readers = graph.node.filter((n) => n.input.includes('encoder_hidden_states'))
    const found = readers.map((n) => {
      expect(n.opType).toBe('MatMul')
      expect(n.input[0]).toBe('encoder_hidden_states')
      const weight = n.input[1] ?? ''
      const uses = graph.node.filter((m) => m.input.includes(weight))
      expect(uses).toHaveLength(1)
      return { nodeName: n.name, initializer: weight, shape: initializers.get(weight) }
    })
    expect(found).toHaveLength(12)
    for (const kv of found) {
      expect(kv.shape).toEqual([e.ctx, 64])
      expect(kv.initializer).toMatch(/^onnx::MatMul_\d+$/)
      expect(kv.nodeName).toMatch(e.named ? /\/attn2\/to_[kv]\/MatMul$/ : /^MatMul_\d+$/)
    }
    const f = factsOf(variant)
    expect(f.contextDim).toBe(e.ctx)
    expect(f.crossAttention.map((p) => p.modulePath)).toEqual(KV_PATHS)
    for (const p of f.crossAttention) expect(p.modulePath.endsWith(`.${p.kind}`)).toBe(true)
    expect(found).toEqual(
      f.crossAttention.map((p) => ({
        nodeName: p.nodeName,
        initializer: p.initializer,
        shape: p.shape,
      })),
    )
    if (e.named) {
      for (const p of f.crossAttention) {
        expect(p.nodeName).toBe(`/${p.modulePath.replace(/\.(?=[a-z_])/g, '/')}/MatMul`)
      }
      // Self-attention and the other projections exist, reading hidden states instead.
      const others = graph.node.filter((n) => /\/attn[12]\/to_(q|k|v|out\.0)\/MatMul$/.test(n.name))
      const selfOrQuery = others.filter((n) => !found.some((k) => k.nodeName === n.name))
      expect(selfOrQuery).toHaveLength(6 * 4 + 6 * 2) // attn1 q,k,v,out + attn2 q,out per layer
      for (const n of selfOrQuery) expect(n.input[0]).not.toBe('encoder_hidden_states')
    }
  })
})

describe('the SD1 variants', () => {
  it('are the same network exported six ways: equal U-Net outputs for one seed', async () => {
    const reference = await denoiseOnce('sd1')
    const others = [
      'sd1-torch2',
      'sd1-opset17',
      'sd1-float-timestep',
      'sd1-no-names',
      'sd1-baddbmm',
    ]
    for (const v of others as readonly Variant[]) {
      const out = await denoiseOnce(v)
      let worst = 0
      for (let i = 0; i < out.length; i++)
        worst = Math.max(worst, Math.abs((out[i] ?? 0) - (reference[i] ?? 0)))
      expect(worst, v).toBeLessThan(1e-4)
    }
  })
})
