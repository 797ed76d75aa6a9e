/**
 * CLIP's text front end, shared by the tokenizer and the tiny test vocabulary.
 *
 * Byte-level BPE works on UTF-8 bytes, but merges.txt and vocab.json are text files, so GPT-2
 * (and CLIP after it) map every byte to a printable Unicode character: the 188 bytes that are
 * already printable keep their own code point, the other 68 are shifted to U+0100 and up, in
 * byte order. The vocabulary's first 256 ids follow the order of that table (printable bytes
 * first), which is why id 0 is `!` and SD2 can pad with it.
 */

/** Appended to the last symbol of every word; `a</w>` and `a` are different tokens. */
export const END_OF_WORD = '</w>'
export const START_OF_TEXT = '<|startoftext|>'
export const END_OF_TEXT = '<|endoftext|>'

/**
 * CLIP's split pattern (openai/CLIP `simple_tokenizer.py`, the same one transformers' converter
 * puts into tokenizer.json): contractions, letter runs, single digits, runs of anything else
 * that is not whitespace. Whitespace is dropped.
 */
export const CLIP_SPLIT_SOURCE = String.raw`'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`

/**
 * Whitespace as Python's `re`, Oniguruma and @huggingface/tokenizers read `\s`: Unicode
 * White_Space. JavaScript's own `\s` differs (it includes U+FEFF and lacks U+0085), so our own
 * regexes spell it out.
 */
export const WHITESPACE_RUN = /\p{White_Space}+/gu
const clipSplit = new RegExp(CLIP_SPLIT_SOURCE.replace('\\s', '\\p{White_Space}'), 'gu')

/** Bytes in CLIP table order paired with their characters; index = vocabulary id. */
function buildByteTable(): readonly (readonly [number, string])[] {
  const printable: number[] = []
  const push = (from: number, to: number): void => {
    for (let b = from; b <= to; b++) printable.push(b)
  }
  push(0x21, 0x7e) // '!' .. '~'
  push(0xa1, 0xac) // '¡' .. '¬'
  push(0xae, 0xff) // '®' .. 'ÿ'
  const table: (readonly [number, string])[] = printable.map((b) => [b, String.fromCodePoint(b)])
  let shifted = 0
  for (let b = 0; b < 256; b++) {
    if (!printable.includes(b)) {
      table.push([b, String.fromCodePoint(256 + shifted)])
      shifted++
    }
  }
  return table
}

/** `[byte, char]` in the order CLIP's vocabulary lists them (ids 0..255). */
export const BYTE_TABLE = buildByteTable()

const byteToChar: readonly string[] = (() => {
  const out = new Array<string>(256).fill('')
  for (const [b, c] of BYTE_TABLE) out[b] = c
  return out
})()

const charToByte: ReadonlyMap<string, number> = new Map(BYTE_TABLE.map(([b, c]) => [c, b]))

const utf8 = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: false })

/** UTF-8 bytes of `text`, each replaced by its printable stand-in. */
export function bytesToUnicode(text: string): string {
  let out = ''
  for (const b of utf8.encode(text)) out += byteToChar[b] ?? ''
  return out
}

/** Inverse of {@link bytesToUnicode}; unknown characters are skipped, invalid UTF-8 becomes U+FFFD. */
export function unicodeToText(symbols: string): string {
  const bytes: number[] = []
  for (const ch of symbols) {
    const b = charToByte.get(ch)
    if (b !== undefined) bytes.push(b)
  }
  return utf8Decoder.decode(Uint8Array.from(bytes))
}

/**
 * What CLIP's fast tokenizer does before BPE: NFC, every whitespace run to one space,
 * lowercase, then the split pattern. Returns the words as text (not yet byte-mapped).
 */
export function clipPreTokenize(text: string): string[] {
  return normalizeLikeClip(text).match(clipSplit) ?? []
}

/** The tokenizer's normalizer: NFC, each whitespace run to one space, lowercase. */
export function normalizeLikeClip(text: string): string {
  return text.normalize('NFC').replace(WHITESPACE_RUN, ' ').toLowerCase()
}
