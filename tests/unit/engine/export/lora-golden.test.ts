import { describe, expect, it } from 'vitest'
import { buildLoraExport } from '../../../../src/main/engine/export/lora-export'
import type { LayerDelta } from '../../../../src/main/engine/export/lora-export'
import { SD_UNET_LAYOUT, expectedAttentions } from '../../../../src/main/engine/onnx/surgery/unet-layout'

/** The 16 SD1.x / SD2.x cross-attention stems, written out by hand from the table. */
const GOLDEN_STEMS = [
  'lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2',
  'lora_unet_down_blocks_0_attentions_1_transformer_blocks_0_attn2',
  'lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn2',
  'lora_unet_down_blocks_1_attentions_1_transformer_blocks_0_attn2',
  'lora_unet_down_blocks_2_attentions_0_transformer_blocks_0_attn2',
  'lora_unet_down_blocks_2_attentions_1_transformer_blocks_0_attn2',
  'lora_unet_mid_block_attentions_0_transformer_blocks_0_attn2',
  'lora_unet_up_blocks_1_attentions_0_transformer_blocks_0_attn2',
  'lora_unet_up_blocks_1_attentions_1_transformer_blocks_0_attn2',
  'lora_unet_up_blocks_1_attentions_2_transformer_blocks_0_attn2',
  'lora_unet_up_blocks_2_attentions_0_transformer_blocks_0_attn2',
  'lora_unet_up_blocks_2_attentions_1_transformer_blocks_0_attn2',
  'lora_unet_up_blocks_2_attentions_2_transformer_blocks_0_attn2',
  'lora_unet_up_blocks_3_attentions_0_transformer_blocks_0_attn2',
  'lora_unet_up_blocks_3_attentions_1_transformer_blocks_0_attn2',
  'lora_unet_up_blocks_3_attentions_2_transformer_blocks_0_attn2',
]
const GOLDEN_WIDTHS = [320, 320, 640, 640, 1280, 1280, 1280, 1280, 1280, 1280, 640, 640, 640, 320, 320, 320]

function sdLayers(context: number): LayerDelta[] {
  return expectedAttentions(SD_UNET_LAYOUT).flatMap((a) =>
    (['to_k', 'to_v'] as const).map((kind) => {
      // A rank-1 delta (cheap to factor at these sizes).
      const delta = new Float32Array(a.width * context)
      for (let i = 0; i < a.width; i++) for (let j = 0; j < context; j++) delta[i * context + j] = Math.sin(i + 1) * Math.cos(j + 1)
      return { path: `${a.path}.${kind}`, width: a.width, contextDim: context, delta }
    }),
  )
}

describe.each([
  ['SD1.x', 768, 'sd_v1', 'False'],
  ['SD2.x', 1024, 'sd_v2', 'True'],
] as const)('kohya export key names and shapes for %s', (version, context, base, v2) => {
  it('matches the golden table', () => {
    const out = buildLoraExport(sdLayers(context), { format: 'kohya', rank: 4, dtype: 'fp16', sdVersion: version === 'SD1.x' ? '1.x' : '2.x', outputName: 'golden' })
    const expected = new Map<string, number[]>()
    GOLDEN_STEMS.forEach((stem, i) => {
      for (const kind of ['to_k', 'to_v']) {
        expected.set(`${stem}_${kind}.lora_down.weight`, [4, context])
        expected.set(`${stem}_${kind}.lora_up.weight`, [GOLDEN_WIDTHS[i]!, 4])
        expected.set(`${stem}_${kind}.alpha`, [])
      }
    })
    const got = new Map([...out.tensors].map(([k, t]) => [k, [...t.shape]]))
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort())
    for (const [k, shape] of expected) expect(got.get(k)).toEqual(shape)
    for (const [k, t] of out.tensors) expect(t.dtype, k).toBe('F16')
    expect(out.metadata).toMatchObject({ ss_network_module: 'networks.lora', ss_network_dim: '4', ss_network_alpha: '4', ss_base_model_version: base, ss_v2: v2, ss_output_name: 'golden' })
    expect(out.layers.every((l) => l.relError < 1e-3)).toBe(true)
  })
})

describe('PEFT export', () => {
  it('uses unet.<module path>.lora_A/lora_B keys and an adapter config', () => {
    const out = buildLoraExport(sdLayers(768).slice(0, 2), { format: 'peft', rank: 2, dtype: 'fp32', sdVersion: '1.x', outputName: 'x' })
    expect([...out.tensors.keys()].sort()).toEqual([
      'unet.down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.lora_A.weight',
      'unet.down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.lora_B.weight',
      'unet.down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_v.lora_A.weight',
      'unet.down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_v.lora_B.weight',
    ])
    expect(JSON.parse(out.metadata.adapter_config!)).toMatchObject({ peft_type: 'LORA', r: 2, lora_alpha: 2, target_modules: ['attn2.to_k', 'attn2.to_v'] })
  })
})
