/**
 * Key names of the LoRA formats we write and read, from diffusers module paths such as
 * `down_blocks.0.attentions.1.transformer_blocks.0.attn2.to_k`.
 *
 * - kohya / A1111 / ComfyUI: `lora_unet_<path with dots as underscores>.lora_down.weight`
 *   [r, in], `.lora_up.weight` [out, r], `.alpha` (scalar; the update is scaled by alpha / r),
 *   or `.diff` [out, in] for a full-rank difference.
 * - PEFT / diffusers: `unet.<path>.lora_A.weight` [r, in], `unet.<path>.lora_B.weight` [out, r].
 */
export const kohyaStem = (modulePath: string): string => `lora_unet_${modulePath.replace(/\./g, '_')}`
export const peftPrefix = (modulePath: string): string => `unet.${modulePath}`

export type KeyRole = 'down' | 'up' | 'alpha' | 'diff'

/** Splits a LoRA key into its module stem and role, for either format; null if not a LoRA key. */
export function parseLoraKey(key: string): { format: 'kohya' | 'peft'; stem: string; role: KeyRole } | null {
  const kohya = /^(lora_unet_[A-Za-z0-9_]+)\.(lora_down\.weight|lora_up\.weight|alpha|diff)$/.exec(key)
  if (kohya) {
    const role = kohya[2] === 'lora_down.weight' ? 'down' : kohya[2] === 'lora_up.weight' ? 'up' : kohya[2] === 'alpha' ? 'alpha' : 'diff'
    return { format: 'kohya', stem: kohya[1]!, role }
  }
  const peft = /^unet\.(.+)\.(lora_A|lora_B)\.weight$/.exec(key)
  if (peft) return { format: 'peft', stem: `unet.${peft[1]}`, role: peft[2] === 'lora_A' ? 'down' : 'up' }
  return null
}
