import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClipTokenizer, TokenizerFileError } from '../../../../src/main/engine/sd/tokenizer'
import { createNoiseSource } from '../../../../src/main/engine/sd/noise'
import {
  buildTinyVocab,
  writeTinyTokenizerFiles,
} from '../../../../src/main/engine/tiny/tiny-vocab'
import { referenceTokenize } from './reference-clip-bpe'

/*
 * Expected ids below are worked out by hand from the tiny vocabulary's layout:
 *   byte symbol ids follow CLIP's table: '!'..'~' are 0..93 (id = code - 0x21), '¡'..'¬' are
 *   94..105, '®'..'ÿ' are 106..187, the other 68 bytes 188..255; `x</w>` is 256 + id(x);
 *   the merge of rank r has id 512 + r; BOS 998, EOS 999.
 * and the merge ranks involved (read off merges.txt, rank = line number - 2):
 *   'o f</w>' 0, 'i n' 1, 'h o' 2, 'ho t' 8, 'p hot' 9, 'in g</w>' 10, 'phot o</w>' 12,
 *   'c a' 15, 'a n</w>' 20, 'a in' 28, 'i t</w>' 30, 'p ain' 38, 't ing</w>' 40,
 *   'pain ting</w>' 44, 'g o' 53, 't o' 58, 'ca t</w>' 63, 'd o' 75, 'do g</w>' 76,
 *   'g h</w>' 82, 'go gh</w>' 84, 'v an</w>' 96.
 */
const A = 256 + ('a'.charCodeAt(0) - 0x21) // 'a</w>' = 320
const PHOTO = 512 + 12 // p h o t o</w> -> p ho t o</w> (2) -> p hot o</w> (8) -> phot o</w> (9) -> photo</w> (12)
const OF = 512 + 0 // o f</w> (0)
const DOG = 512 + 76 // d o g</w> -> do g</w> (75) -> dog</w> (76)
const PAINTING = 512 + 44 // p a i n t i n g</w> -> 'i n' (1) both -> 'in g</w>' (10) -> 'a in' (28) -> 'p ain' (38) -> 't ing</w>' (40) -> (44)
const VAN = 512 + 96 // v a n</w> -> v an</w> (20) -> van</w> (96)
const GOGH = 512 + 84 // g o g h</w> -> go g h</w> (53) -> go gh</w> (82) -> gogh</w> (84)
const CAT = 512 + 63 // c a t</w>: 'c a' (15) beats 'a t</w>' (49) -> ca t</w> -> cat</w> (63)
const BOS = 998
const EOS = 999

let dir: string
let sd1: ClipTokenizer
let sd2: ClipTokenizer

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'realera-tokenizer-'))
  await writeTinyTokenizerFiles(join(dir, 'sd1', 'tokenizer'), { padWithEndOfText: true })
  await writeTinyTokenizerFiles(join(dir, 'sd2', 'tokenizer'), { padWithEndOfText: false })
  sd1 = await ClipTokenizer.fromDir(join(dir, 'sd1', 'tokenizer'))
  sd2 = await ClipTokenizer.fromDir(join(dir, 'sd2', 'tokenizer'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const head = (ids: Int32Array, n: number): number[] => Array.from(ids.subarray(0, n))

describe('ClipTokenizer on the tiny vocabulary', () => {
  it('reads the special ids and window from the files', () => {
    expect(sd1.maxLength).toBe(77)
    expect([sd1.bosId, sd1.eosId, sd1.padId]).toEqual([BOS, EOS, EOS])
    expect([sd2.bosId, sd2.eosId, sd2.padId]).toEqual([BOS, EOS, 0])
  })

  it('encodes "a photo of a dog" to hand-computed ids', () => {
    const e = sd1.encode('a photo of a dog')
    expect(e.ids).toHaveLength(77)
    expect(head(e.ids, 7)).toEqual([BOS, A, PHOTO, OF, A, DOG, EOS])
    expect(e.tokens.slice(0, 7)).toEqual([
      '<|startoftext|>',
      'a</w>',
      'photo</w>',
      'of</w>',
      'a</w>',
      'dog</w>',
      '<|endoftext|>',
    ])
    expect(e.length).toBe(7)
    expect(e.truncated).toBe(false)
    expect(e.droppedWords).toEqual([])
  })

  it('pads SD1 with <|endoftext|> and SD2 with "!" (id 0)', () => {
    const one = sd1.encode('a photo of a dog')
    const two = sd2.encode('a photo of a dog')
    expect(head(two.ids, 7)).toEqual(head(one.ids, 7))
    expect(Array.from(one.ids.subarray(7))).toEqual(new Array(70).fill(EOS))
    expect(Array.from(two.ids.subarray(7))).toEqual(new Array(70).fill(0))
    expect(two.tokens[7]).toBe('!')
    expect(one.tokens).toHaveLength(77)
  })

  it('lowercases, collapses whitespace and splits punctuation like CLIP', () => {
    const e = sd1.encode('  A Painting  of\tVan\n\nGogh!!  ')
    // "!!" is one punctuation word: '!' (id 0) then '!</w>' (256); no merge joins them.
    expect(head(e.ids, 9)).toEqual([BOS, A, PAINTING, OF, VAN, GOGH, 0, 256, EOS])
    expect(head(sd1.encode('a painting of van gogh !!').ids, 9)).toEqual(head(e.ids, 9))
  })

  it("splits contractions and single digits: it's a cat's toy 123", () => {
    const e = sd1.encode("it's a cat's toy 123")
    const IT = 512 + 30 // i t</w> (30)
    const S = sd1.encode("'s").ids[1] // "'s" is one CLIP word, a single merge here
    const TO = 512 + 58 // t o y</w> -> to y</w> (58), no further merge
    const Y = 256 + ('y'.charCodeAt(0) - 0x21)
    const digit = (d: string): number => 256 + (d.charCodeAt(0) - 0x21)
    expect(e.tokens.slice(1, 11)).toEqual([
      'it</w>',
      "'s</w>",
      'a</w>',
      'cat</w>',
      "'s</w>",
      'to',
      'y</w>',
      '1</w>',
      '2</w>',
      '3</w>',
    ])
    expect(head(e.ids, 12)).toEqual([
      BOS,
      IT,
      S,
      A,
      CAT,
      S,
      TO,
      Y,
      digit('1'),
      digit('2'),
      digit('3'),
      EOS,
    ])
  })

  it('encodes non-ASCII text through its UTF-8 bytes', () => {
    // 'é' is C3 A9: 'Ã' (0xC3 -> 106 + 0xC3 - 0xAE = 127) and '©' (0xA9 -> 94 + 8 = 102)
    const e = sd1.encode('é')
    expect(head(e.ids, 4)).toEqual([BOS, 127, 256 + 102, EOS])
    expect(e.tokens[2]).toBe('©</w>')
  })

  it('gives an empty prompt just BOS, EOS and padding', () => {
    const e = sd2.encode('   ')
    expect(head(e.ids, 3)).toEqual([BOS, EOS, 0])
    expect(e.length).toBe(2)
  })

  it('truncates to 77 keeping BOS and EOS, and names the dropped words', () => {
    const words = ['dog', 'cat', 'van', 'gogh']
    const prompt = Array.from({ length: 80 }, (_, i) => words[i % 4]).join(' ')
    const e = sd1.encode(prompt)
    expect(e.truncated).toBe(true)
    expect(e.length).toBe(77)
    expect(e.ids[0]).toBe(BOS)
    expect(e.ids[76]).toBe(EOS)
    // 75 whole-word tokens fit; words 75..79 are dropped: i % 4 = 3, 0, 1, 2, 3
    expect(e.ids[75]).toBe(VAN) // word 74 (74 % 4 = 2)
    expect(e.droppedWords).toEqual(['gogh', 'dog', 'cat', 'van', 'gogh'])
  })

  it('names a word cut in half as dropped, in the user’s spelling (lowercased)', () => {
    // 74 x "a" fill 74 slots; "Toy" needs 'to' + 'y</w>', so 'y</w>' falls off.
    const prompt = `${new Array(74).fill('a').join(' ')} Toy, Dog`
    const e = sd1.encode(prompt)
    expect(e.tokens[75]).toBe('to')
    expect(e.droppedWords).toEqual(['toy,', 'dog'])
  })

  it('is exactly 75 prompt tokens before truncation starts', () => {
    const fits = sd1.encode(new Array(75).fill('a').join(' '))
    expect(fits.truncated).toBe(false)
    expect(fits.length).toBe(77)
    const over = sd1.encode(new Array(76).fill('a').join(' '))
    expect(over.truncated).toBe(true)
    expect(over.droppedWords).toEqual(['a'])
  })

  it('treats a spelled-out <|endoftext|> as the special token, as transformers does', () => {
    const e = sd1.encode('dog<|endoftext|>cat')
    expect(head(e.ids, 5)).toEqual([BOS, DOG, EOS, CAT, EOS])
  })
})

describe('cross-check against the straight-line reference BPE', () => {
  const { merges } = buildTinyVocab()
  const pieces = [
    'a',
    'photo',
    'of',
    'the',
    'painting',
    'style',
    'van',
    'gogh',
    'picasso',
    'monet',
    'Portrait',
    'PERSON',
    'celebrity',
    'tom',
    'cruise',
    'airplane',
    'car',
    'dog',
    'cat',
    'red',
    'blue',
    'circle',
    'square',
    'nudity',
    'background',
    'zebra',
    'xylophone',
    "it's",
    "we'll",
    "they're",
    "don't",
    '4k',
    '1024',
    '!!',
    '...',
    ',',
    '(masterpiece:1.2)',
    '#art',
    'café',
    'naïve',
    'über',
    '日本',
    'Ελληνικά',
    '🙂',
    'e\u0301',
    'ÆØÅ',
    '--no',
    'a_b',
    "rock'n'roll",
  ]
  const spaces = [' ', '  ', '\t', '\n', ', ', ' ', '\u00a0', '\u3000', '\u0085', '\ufeff']

  it('agrees on 2000 generated prompts', () => {
    const rng = createNoiseSource(2024)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.uniform() * xs.length)] as T
    for (let n = 0; n < 2000; n++) {
      const count = 1 + Math.floor(rng.uniform() * 12)
      let prompt = ''
      for (let k = 0; k < count; k++) prompt += pick(pieces) + pick(spaces)
      expect(sd1.tokenize(prompt), JSON.stringify(prompt)).toEqual(
        referenceTokenize(prompt, merges),
      )
    }
  })

  it('agrees on every word of the training corpus themes', () => {
    const prompt = pieces.join(' ')
    expect(sd1.tokenize(prompt)).toEqual(referenceTokenize(prompt, merges))
  })
})

describe('tokenizer file errors', () => {
  async function tinyDir(name: string): Promise<string> {
    const d = join(dir, name, 'tokenizer')
    await writeTinyTokenizerFiles(d, { padWithEndOfText: true })
    return d
  }

  it('says how to fix a missing merges.txt', async () => {
    const d = await tinyDir('no-merges')
    await unlink(join(d, 'merges.txt'))
    const err = await ClipTokenizer.fromDir(d).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TokenizerFileError)
    expect((err as Error).message).toContain(
      "tokenizer/merges.txt is missing: a CLIP tokenizer needs vocab.json and merges.txt; copy them from the model's original tokenizer folder",
    )
  })

  it('says how to fix a missing vocab.json', async () => {
    const d = await tinyDir('no-vocab')
    await unlink(join(d, 'vocab.json'))
    await expect(ClipTokenizer.fromDir(d)).rejects.toThrow(/tokenizer\/vocab\.json is missing/)
  })

  it('rejects vocab.json that is not JSON, not an object, or has bad ids', async () => {
    const d = await tinyDir('bad-vocab')
    const cases: [string, RegExp][] = [
      ['{"a": 1,', /vocab\.json is malformed: it is not valid JSON/],
      ['[1, 2]', /must be a JSON object mapping each token to its id/],
      ['{"a": "one"}', /the id of "a" is "one", not an integer >= 0/],
      ['{"a": 1, "b": 1}', /"a" and "b" share id 1/],
      ['{"a": 1}', /byte symbol "!" is missing/],
    ]
    for (const [text, message] of cases) {
      await writeFile(join(d, 'vocab.json'), text)
      await expect(ClipTokenizer.fromDir(d)).rejects.toThrow(message)
    }
  })

  it('rejects a malformed merges.txt line, naming the line', async () => {
    const d = await tinyDir('bad-merges')
    await writeFile(join(d, 'merges.txt'), '#version: 0.2\no f</w>\nabc\n')
    await expect(ClipTokenizer.fromDir(d)).rejects.toThrow(/merges\.txt is malformed: line 3/)
  })

  it('rejects a pad token the vocabulary lacks and a broken tokenizer_config.json', async () => {
    const d = await tinyDir('bad-config')
    await writeFile(join(d, 'special_tokens_map.json'), '{"pad_token": "<pad>"}')
    await expect(ClipTokenizer.fromDir(d)).rejects.toThrow(/no entry for the pad_token "<pad>"/)
    await writeFile(join(d, 'tokenizer_config.json'), '{"pad_token": 5}')
    await expect(ClipTokenizer.fromDir(d)).rejects.toThrow(
      /tokenizer_config\.json is malformed: "pad_token" must be a string/,
    )
  })

  it('works without the optional config files, with CLIP defaults (SD1 padding, 77)', async () => {
    const d = await tinyDir('bare')
    await unlink(join(d, 'tokenizer_config.json'))
    await unlink(join(d, 'special_tokens_map.json'))
    const t = await ClipTokenizer.fromDir(d)
    expect([t.maxLength, t.padId, t.bosId, t.eosId]).toEqual([77, EOS, BOS, EOS])
  })

  it('ignores transformers’ "no limit" model_max_length sentinel', async () => {
    const d = await tinyDir('sentinel')
    await writeFile(
      join(d, 'tokenizer_config.json'),
      '{"model_max_length": 1000000000000000019884624838656}',
    )
    expect((await ClipTokenizer.fromDir(d)).maxLength).toBe(77)
  })
})
