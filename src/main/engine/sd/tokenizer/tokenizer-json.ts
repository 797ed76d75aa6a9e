/**
 * Builds, in code, the tokenizer.json that transformers' `CLIPConverter` would write for a
 * vocab.json + merges.txt pair, so @huggingface/tokenizers can run it. SD checkpoints ship only
 * the slow-tokenizer files, so we cannot count on a tokenizer.json being there.
 *
 * What each stage reproduces of openai/CLIP's `simple_tokenizer.py`:
 * - normalizer: NFC, every whitespace run to one space, lowercase (CLIP's
 *   `whitespace_clean(...).lower()`; ftfy/html unescaping is not reproduced, as in the fast
 *   tokenizer);
 * - pre-tokenizer: CLIP's split pattern keeping the matches (whitespace is dropped), then the
 *   byte-to-unicode mapping. `use_regex: false` because the CLIP split already produced the
 *   words; GPT-2's second regex would not split them any further anyway;
 * - model: BPE with `</w>` appended to each word's last symbol, `<|endoftext|>` as unknown;
 * - post-processor: BOS ... EOS (the pipeline adds them itself after truncating; kept here so
 *   the JSON is a complete, faithful description).
 * `<|startoftext|>` and `<|endoftext|>` are special added tokens, so a prompt that spells them
 * out gets the special id, as in transformers.
 */
import { CLIP_SPLIT_SOURCE, END_OF_WORD } from './byte-level'
import type { ClipTokenizerData } from './files'

interface AddedTokenJson {
  id: number
  content: string
  single_word: boolean
  lstrip: boolean
  rstrip: boolean
  normalized: boolean
  special: boolean
}

/** The subset of tokenizer.json we produce (the package does not export its own types). */
export interface ClipTokenizerJson {
  version: string
  added_tokens: AddedTokenJson[]
  normalizer: unknown
  pre_tokenizer: unknown
  post_processor: unknown
  decoder: unknown
  model: {
    type: 'BPE'
    dropout: null
    unk_token: string
    continuing_subword_prefix: string
    end_of_word_suffix: string
    fuse_unk: boolean
    byte_fallback: boolean
    ignore_merges: boolean
    vocab: Record<string, number>
    merges: string[]
  }
}

export function buildClipTokenizerJson(data: ClipTokenizerData): ClipTokenizerJson {
  const id = (token: string): number => data.vocab[token] ?? -1
  const special = (content: string): AddedTokenJson => ({
    id: id(content),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: true,
    special: true,
  })
  const specials = [...new Set([data.bosToken, data.eosToken])].map(special)
  return {
    version: '1.0',
    added_tokens: specials,
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFC' },
        { type: 'Replace', pattern: { Regex: String.raw`\s+` }, content: ' ' },
        { type: 'Lowercase' },
      ],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: CLIP_SPLIT_SOURCE }, behavior: 'Removed', invert: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: [data.eosToken, id(data.eosToken)],
      cls: [data.bosToken, id(data.bosToken)],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: data.unkToken,
      continuing_subword_prefix: '',
      end_of_word_suffix: END_OF_WORD,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: { ...data.vocab },
      merges: [...data.merges],
    },
  }
}
