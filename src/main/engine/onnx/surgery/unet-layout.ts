/**
 * The diffusers module paths of a U-Net's cross-attention layers, in forward (graph) order,
 * derived from its config the way diffusers builds the model. Used to name K/V layers when the
 * export carries no module-path node names, and to check the names when it does.
 */
export interface UNetLayoutConfig {
  readonly down_block_types: readonly string[]
  readonly up_block_types: readonly string[]
  readonly block_out_channels: readonly number[]
  readonly layers_per_block: number
  readonly transformer_layers_per_block?: number
  /** diffusers' default mid block has cross-attention; `null` means none. */
  readonly mid_block_type?: string | null
}

export interface ExpectedAttention {
  /** e.g. `down_blocks.1.attentions.0.transformer_blocks.0.attn2` */
  readonly path: string
  /** Output width C of to_k / to_v. */
  readonly width: number
}

/** Stable Diffusion 1.x and 2.x share this U-Net layout (context 768 vs 1024). */
export const SD_UNET_LAYOUT: UNetLayoutConfig = {
  down_block_types: [
    'CrossAttnDownBlock2D',
    'CrossAttnDownBlock2D',
    'CrossAttnDownBlock2D',
    'DownBlock2D',
  ],
  up_block_types: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
  block_out_channels: [320, 640, 1280, 1280],
  layers_per_block: 2,
}

const hasCrossAttention = (type: string): boolean => type.startsWith('CrossAttn')

export function expectedAttentions(cfg: UNetLayoutConfig): ExpectedAttention[] {
  const out: ExpectedAttention[] = []
  const depth = cfg.transformer_layers_per_block ?? 1
  const push = (prefix: string, width: number): void => {
    for (let t = 0; t < depth; t++)
      out.push({ path: `${prefix}.transformer_blocks.${t}.attn2`, width })
  }
  cfg.down_block_types.forEach((type, i) => {
    if (!hasCrossAttention(type)) return
    for (let j = 0; j < cfg.layers_per_block; j++)
      push(`down_blocks.${i}.attentions.${j}`, cfg.block_out_channels[i]!)
  })
  if (cfg.mid_block_type !== null)
    push('mid_block.attentions.0', cfg.block_out_channels[cfg.block_out_channels.length - 1]!)
  const reversed = [...cfg.block_out_channels].reverse()
  cfg.up_block_types.forEach((type, i) => {
    if (!hasCrossAttention(type)) return
    for (let j = 0; j <= cfg.layers_per_block; j++)
      push(`up_blocks.${i}.attentions.${j}`, reversed[i]!)
  })
  return out
}

/** Reads the fields we need from a diffusers `unet/config.json`, or null when absent/invalid. */
export function parseLayoutConfig(json: unknown): UNetLayoutConfig | null {
  if (typeof json !== 'object' || json === null) return null
  const o = json as Record<string, unknown>
  const strings = (v: unknown): string[] | null =>
    Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null
  const numbers = (v: unknown): number[] | null =>
    Array.isArray(v) && v.every((x) => typeof x === 'number') ? v : null
  const down = strings(o.down_block_types)
  const up = strings(o.up_block_types)
  const channels = numbers(o.block_out_channels)
  const layers = typeof o.layers_per_block === 'number' ? o.layers_per_block : null
  if (!down || !up || !channels || layers === null) return null
  const depth =
    typeof o.transformer_layers_per_block === 'number' ? o.transformer_layers_per_block : 1
  const mid =
    o.mid_block_type === null
      ? null
      : typeof o.mid_block_type === 'string'
        ? o.mid_block_type
        : undefined
  return {
    down_block_types: down,
    up_block_types: up,
    block_out_channels: channels,
    layers_per_block: layers,
    transformer_layers_per_block: depth,
    ...(mid === undefined ? {} : { mid_block_type: mid }),
  }
}
