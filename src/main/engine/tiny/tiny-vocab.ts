/**
 * The tiny CLIP vocabulary our tests and tiny ONNX models use, in the spirit of diffusers'
 * `hf-internal-testing/tiny-random-clip` tokenizer: 1000 ids, real CLIP file formats, built in
 * code so the repository carries no binary fixtures.
 *
 * Layout (the order CLIP's own vocab.json uses):
 *   0..255     the 256 byte symbols of CLIP's byte-to-unicode table, in table order (`!` is 0)
 *   256..511   the same symbols with the end-of-word suffix `</w>`
 *   512..997   486 merge results, in the order a BPE training run learned them
 *   998, 999   `<|startoftext|>`, `<|endoftext|>`
 *
 * Training is deliberately plain and fully deterministic: pre-tokenize TINY_CORPUS exactly as
 * the tokenizer does (NFC, whitespace, lowercase, CLIP's split, byte mapping, `</w>` on the
 * last symbol), then repeatedly merge the most frequent adjacent pair, counting each word as
 * often as it occurs. Ties go to the pair whose `a b` line sorts first by UTF-16 code units. A
 * pair whose merged string is already a token is skipped, so every merge adds exactly one new
 * id (as in CLIP, where ids 512.. are the merges in order).
 *
 * `merges` never contains the `#version: 0.2` header: it is the list of `a b` rules, rank 0
 * first. {@link writeTinyTokenizerFiles} adds the header when it writes merges.txt.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  BYTE_TABLE,
  END_OF_TEXT,
  END_OF_WORD,
  START_OF_TEXT,
  bytesToUnicode,
  clipPreTokenize,
} from '../sd/tokenizer/byte-level'

export const TINY_VOCAB_SIZE = 1000
export const TINY_BOS_ID = 998
export const TINY_EOS_ID = 999

export interface TinyVocab {
  /** token -> id, 1000 entries */
  vocab: Record<string, number>
  /** merge rules `a b`, rank order, without the `#version` header line */
  merges: string[]
}

/**
 * Frozen training text. It reads like the prompts people type into this app, so test prompts
 * tokenize into a few whole-word tokens rather than single bytes. Changing one character
 * changes the merges and every token id pinned in the tests.
 */
const TINY_CORPUS = `
a photo of a dog. a photo of a cat. a photo of a car. a photo of an airplane.
a photo of a person. a photo of a celebrity. a photo of tom cruise. a portrait of a person.
a painting of a dog in the style of van gogh. a painting of a cat in the style of picasso.
a painting of a garden in the style of monet. starry night by van gogh. water lilies by monet.
portrait of a woman, oil painting, art by picasso. cubism art style. impressionism art style.
art in the style of van gogh, swirling brush strokes, thick paint, starry sky.
a red circle on a blue background. a blue square on a red background.
a green triangle on a white background. a yellow star on a black background.
a purple circle, an orange square, a pink triangle, a brown hexagon, a gray rectangle.
red, green, blue, yellow, orange, purple, pink, brown, black, white, gray, grey, gold, silver.
circle, square, triangle, star, heart, hexagon, rectangle, diamond, oval, cube, sphere, shape.
a dog playing in the park. a cat sleeping on a sofa. a car driving on the road at night.
an airplane flying over the city. a fighter jet in the sky. a sports car parked on the street.
a golden retriever puppy. a black cat with green eyes. a vintage car, high detail.
nudity, naked, nude, explicit, unsafe content. a person wearing clothes. safe for work.
a portrait photo of a famous actor on the red carpet. celebrity close up, studio lighting.
tom cruise smiling, movie still. a man in a suit. a woman in a dress. a child with a balloon.
landscape painting of mountains and a lake at sunset. a castle on a hill, fantasy art.
digital art, concept art, trending, highly detailed, sharp focus, 4k, 8k, masterpiece.
a watercolor painting of flowers. a pencil sketch of a horse. an anime drawing of a girl.
a photograph of a beach with palm trees. a forest in autumn with red and orange leaves.
a snowy village in winter. a bowl of fruit, still life painting. a cup of coffee on a table.
the church at auvers, sunflowers, the bedroom, cafe terrace at night, wheat field with crows.
guernica, les demoiselles d'avignon, the old guitarist, weeping woman, dora maar.
impression sunrise, haystacks, rouen cathedral, the japanese footbridge, poppy fields.
a photo of a bird. a photo of a horse. a photo of a boat. a photo of a train. a photo of a truck.
a photo of a bicycle. a photo of a house. a photo of a tree. a photo of a flower.
erase the concept of van gogh. remove the style of picasso. forget the object airplane.
the model should not draw tom cruise. it's a cat, it's a dog, they're friends, we've seen it.
a high quality photo, realistic, detailed, beautiful, colorful, bright, dark, soft light.
background, foreground, center, left, right, top, bottom, small, large, big, tiny, round.
`

export function buildTinyVocab(): TinyVocab {
  return trainClipBpe(TINY_CORPUS, TINY_VOCAB_SIZE)
}

/**
 * CLIP-format BPE trained on `corpus` as described at the top of this file: the 512 byte
 * symbols, then merges, then `<|startoftext|>` and `<|endoftext|>`. With `vocabSize` the merges
 * stop when the vocabulary (specials included) reaches it, and running out of pairs first is an
 * error; without it they go on until no word of the corpus has two symbols left to merge, so
 * every corpus word encodes as a single token (a word-level vocabulary in CLIP's format).
 */
export function trainClipBpe(corpus: string, vocabSize?: number): TinyVocab {
  const vocab: Record<string, number> = {}
  let next = 0
  const add = (token: string): void => {
    vocab[token] = next++
  }
  for (const [, ch] of BYTE_TABLE) add(ch)
  for (const [, ch] of BYTE_TABLE) add(ch + END_OF_WORD)

  const words = countWords(corpus)
  const merges: string[] = []
  const mergeTarget = vocabSize === undefined ? Infinity : vocabSize - 2
  while (next < mergeTarget) {
    const best = bestPair(words, vocab)
    if (best === undefined) {
      if (vocabSize === undefined) break
      throw new Error(`tiny vocabulary: the corpus ran out of pairs after ${merges.length} merges`)
    }
    const [a, b] = best
    merges.push(`${a} ${b}`)
    add(a + b)
    for (const word of words) word.symbols = mergeSymbols(word.symbols, a, b)
  }
  add(START_OF_TEXT)
  add(END_OF_TEXT)
  return { vocab, merges }
}

interface TrainingWord {
  symbols: string[]
  count: number
}

function countWords(text: string): TrainingWord[] {
  const counts = new Map<string, number>()
  for (const piece of clipPreTokenize(text)) {
    const mapped = bytesToUnicode(piece)
    counts.set(mapped, (counts.get(mapped) ?? 0) + 1)
  }
  return [...counts].map(([mapped, count]) => {
    const symbols = Array.from(mapped)
    symbols[symbols.length - 1] += END_OF_WORD
    return { symbols, count }
  })
}

function bestPair(
  words: readonly TrainingWord[],
  vocab: Readonly<Record<string, number>>,
): readonly [string, string] | undefined {
  const counts = new Map<string, { pair: readonly [string, string]; count: number }>()
  for (const { symbols, count } of words) {
    for (let i = 0; i + 1 < symbols.length; i++) {
      const a = symbols[i] ?? ''
      const b = symbols[i + 1] ?? ''
      if (Object.hasOwn(vocab, a + b)) continue
      const key = `${a} ${b}`
      const entry = counts.get(key)
      if (entry) entry.count += count
      else counts.set(key, { pair: [a, b], count })
    }
  }
  let bestKey: string | undefined
  let best: { pair: readonly [string, string]; count: number } | undefined
  for (const [key, entry] of counts) {
    if (
      best === undefined ||
      bestKey === undefined ||
      entry.count > best.count ||
      (entry.count === best.count && key < bestKey)
    ) {
      best = entry
      bestKey = key
    }
  }
  return best?.pair
}

/** Left to right, non-overlapping: `a a a` with rule `a a` becomes `aa a`. */
function mergeSymbols(symbols: readonly string[], a: string, b: string): string[] {
  const out: string[] = []
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i] ?? ''
    if (s === a && symbols[i + 1] === b) {
      out.push(a + b)
      i++
    } else {
      out.push(s)
    }
  }
  return out
}

export interface TinyTokenizerFileOptions {
  /** true: SD1 style, pad with `<|endoftext|>` (id 999); false: SD2 style, pad with `!` (id 0) */
  padWithEndOfText: boolean
}

/**
 * Writes a tokenizer folder the way SD checkpoints ship one: vocab.json, merges.txt (with the
 * `#version: 0.2` header), tokenizer_config.json and special_tokens_map.json.
 */
export async function writeTinyTokenizerFiles(
  dir: string,
  options: TinyTokenizerFileOptions,
): Promise<void> {
  await writeClipTokenizerFiles(dir, buildTinyVocab(), { ...options, maxLength: 77 })
}

/** The same files for any CLIP-format vocabulary; `maxLength` is the text encoder's window. */
export async function writeClipTokenizerFiles(
  dir: string,
  { vocab, merges }: TinyVocab,
  { padWithEndOfText, maxLength }: TinyTokenizerFileOptions & { maxLength: number },
): Promise<void> {
  const padToken = padWithEndOfText ? END_OF_TEXT : '!'
  const special = (content: string): Record<string, unknown> => ({
    content,
    lstrip: false,
    normalized: true,
    rstrip: false,
    single_word: false,
  })
  const tokenizerConfig = {
    add_prefix_space: false,
    bos_token: { __type: 'AddedToken', ...special(START_OF_TEXT) },
    do_lower_case: true,
    eos_token: { __type: 'AddedToken', ...special(END_OF_TEXT) },
    errors: 'replace',
    model_max_length: maxLength,
    pad_token: padToken,
    tokenizer_class: 'CLIPTokenizer',
    unk_token: { __type: 'AddedToken', ...special(END_OF_TEXT) },
  }
  const specialTokensMap = {
    bos_token: special(START_OF_TEXT),
    eos_token: special(END_OF_TEXT),
    pad_token: padToken,
    unk_token: special(END_OF_TEXT),
  }
  await mkdir(dir, { recursive: true })
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`
  await writeFile(join(dir, 'vocab.json'), JSON.stringify(vocab))
  await writeFile(join(dir, 'merges.txt'), `#version: 0.2\n${merges.join('\n')}\n`)
  await writeFile(join(dir, 'tokenizer_config.json'), json(tokenizerConfig))
  await writeFile(join(dir, 'special_tokens_map.json'), json(specialTokensMap))
}
