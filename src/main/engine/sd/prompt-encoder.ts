import type { PromptEncoder } from '../erasure/stage1'
import type { SdModel } from './sd-model'

/** The model's tokenizer and text encoder as stage 1 sees them. */
export function promptEncoder(model: SdModel): PromptEncoder {
  const tok = model.tokenizer
  return {
    dim: model.facts.contextDim,
    maxLength: tok.maxLength,
    count: (text) => tok.encode(text).length - 2,
    async encode(prompts) {
      const encodings = prompts.map((p) => tok.encode(p))
      const ids = new Int32Array(prompts.length * tok.maxLength)
      encodings.forEach((e, i) => ids.set(e.ids, i * tok.maxLength))
      const { hidden, dim } = await model.textEncoder.encode(ids, prompts.length)
      const size = tok.maxLength * dim
      return encodings.map((e, i) => ({ hidden: hidden.slice(i * size, (i + 1) * size), length: e.length }))
    },
  }
}
