/**
 * CLIP's byte-level BPE tokenizer, as Stable Diffusion's text encoder expects its input: BOS,
 * the prompt's tokens, EOS, then padding, exactly `maxLength` (77) ids.
 *
 * The BPE itself runs in @huggingface/tokenizers, driven by a tokenizer.json we build from the
 * checkpoint's vocab.json + merges.txt (see tokenizer/tokenizer-json.ts). The package has every
 * piece CLIP needs (NFC/Replace/Lowercase normalizers, an inverted Split on CLIP's regex,
 * ByteLevel, BPE with an end-of-word suffix), so we do not keep a BPE of our own in production;
 * the unit tests carry an independent straight-line CLIP BPE and cross-check the two.
 *
 * Padding follows the checkpoint: SD1's tokenizer pads with `<|endoftext|>` (49407), SD2's with
 * `!` (id 0). The text encoder sees the difference, so it matters for matching diffusers.
 */
import { Tokenizer } from '@huggingface/tokenizers'
import { normalizeLikeClip } from './tokenizer/byte-level'
import { findDroppedWords } from './tokenizer/dropped-words'
import { readTokenizerDir, type ClipTokenizerData } from './tokenizer/files'
import { buildClipTokenizerJson } from './tokenizer/tokenizer-json'

export { TokenizerFileError, resolveTokenizerData, type ClipTokenizerData } from './tokenizer/files'

export interface ClipEncoding {
  /** `maxLength` ids: BOS, prompt tokens, EOS, padding */
  readonly ids: Int32Array
  /** the token string behind every id, same length as `ids` */
  readonly tokens: readonly string[]
  /** how many ids are BOS..EOS inclusive (the rest is padding) */
  readonly length: number
  /** true when the prompt had more than `maxLength - 2` tokens */
  readonly truncated: boolean
  /** prompt words (lowercased) that lost some or all of their tokens, for a warning */
  readonly droppedWords: readonly string[]
}

export class ClipTokenizer {
  readonly maxLength: number
  readonly padId: number
  readonly bosId: number
  readonly eosId: number
  private readonly data: ClipTokenizerData
  private readonly tokenizer: Tokenizer
  private readonly specials: ReadonlySet<string>

  private constructor(data: ClipTokenizerData) {
    this.data = data
    this.maxLength = data.maxLength
    this.padId = idOf(data, data.padToken)
    this.bosId = idOf(data, data.bosToken)
    this.eosId = idOf(data, data.eosToken)
    this.specials = new Set([data.bosToken, data.eosToken])
    this.tokenizer = new Tokenizer(buildClipTokenizerJson(data), {
      clean_up_tokenization_spaces: false,
    })
  }

  /**
   * Loads `dir/vocab.json` and `dir/merges.txt`, plus `tokenizer_config.json` and
   * `special_tokens_map.json` when present. Throws {@link TokenizerFileError} naming the file.
   */
  static async fromDir(dir: string): Promise<ClipTokenizer> {
    return new ClipTokenizer(await readTokenizerDir(dir))
  }

  /**
   * For callers that already hold the files' contents (tests, the tiny vocabulary); build
   * `data` with `resolveTokenizerData`, which applies CLIP's defaults and checks the specials.
   */
  static fromData(data: ClipTokenizerData): ClipTokenizer {
    return new ClipTokenizer(data)
  }

  /** BPE tokens of the prompt without BOS/EOS or any length limit. */
  tokenize(prompt: string): string[] {
    return this.tokenizer.tokenize(prompt, { add_special_tokens: false })
  }

  encode(prompt: string): ClipEncoding {
    const body = this.tokenize(prompt)
    const room = this.maxLength - 2
    const kept = body.slice(0, room)
    const truncated = body.length > room
    const droppedWords = truncated
      ? findDroppedWords(normalizeLikeClip(prompt), body, room, this.specials)
      : []

    const tokens = [this.data.bosToken, ...kept, this.data.eosToken]
    const length = tokens.length
    while (tokens.length < this.maxLength) tokens.push(this.data.padToken)
    const ids = new Int32Array(this.maxLength)
    tokens.forEach((token, i) => {
      ids[i] = idOf(this.data, token)
    })
    return { ids, tokens, length, truncated, droppedWords }
  }
}

/** BPE only emits vocabulary tokens or the unknown token, which files.ts checked exists. */
function idOf(data: ClipTokenizerData, token: string): number {
  return data.vocab[token] ?? data.vocab[data.unkToken] ?? 0
}
