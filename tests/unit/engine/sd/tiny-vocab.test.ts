import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  TINY_BOS_ID,
  TINY_EOS_ID,
  TINY_VOCAB_SIZE,
  buildTinyVocab,
  writeTinyTokenizerFiles,
} from '../../../../src/main/engine/tiny/tiny-vocab'

describe('buildTinyVocab', () => {
  const { vocab, merges } = buildTinyVocab()
  const byId = new Map(Object.entries(vocab).map(([token, id]) => [id, token]))

  it('has exactly 1000 distinct, contiguous ids', () => {
    expect(TINY_VOCAB_SIZE).toBe(1000)
    expect(Object.keys(vocab)).toHaveLength(1000)
    expect([...byId.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 1000 }, (_, i) => i),
    )
  })

  it('starts with the byte alphabet in CLIP order, then the </w> forms', () => {
    expect(byId.get(0)).toBe('!')
    expect(byId.get(93)).toBe('~')
    expect(byId.get(94)).toBe('¡')
    expect(byId.get(106)).toBe('®')
    expect(byId.get(187)).toBe('ÿ') // 94 + 12 + 82 printable bytes
    expect(byId.get(188)).toBe('Ā') // byte 0x00, the first shifted one
    expect(byId.get(220)).toBe('Ġ') // byte 0x20 (space): 188 + 32
    for (let i = 0; i < 256; i++) expect(byId.get(256 + i)).toBe(`${byId.get(i)}</w>`)
  })

  it('gives merge rank r the id 512 + r and ends with BOS 998 and EOS 999', () => {
    expect(merges).toHaveLength(486)
    merges.forEach((line, rank) => {
      expect(vocab[line.replace(' ', '')]).toBe(512 + rank)
    })
    expect([TINY_BOS_ID, TINY_EOS_ID]).toEqual([998, 999])
    expect(byId.get(998)).toBe('<|startoftext|>')
    expect(byId.get(999)).toBe('<|endoftext|>')
  })

  it('has no header line in the merges array and only known symbols in each rule', () => {
    expect(merges.some((m) => m.startsWith('#'))).toBe(false)
    for (const line of merges) {
      const [a = '', b = ''] = line.split(' ')
      expect(vocab[a], line).toBeDefined()
      expect(vocab[b], line).toBeDefined()
    }
  })

  it('learned whole prompt words', () => {
    for (const word of ['photo', 'painting', 'style', 'van', 'gogh', 'picasso', 'dog', 'cat']) {
      expect(vocab[`${word}</w>`], word).toBeDefined()
    }
  })

  it('is deterministic', () => {
    expect(buildTinyVocab()).toEqual({ vocab, merges })
  })
})

describe('writeTinyTokenizerFiles', () => {
  it('writes SD1 and SD2 flavoured folders', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'realera-tiny-vocab-'))
    try {
      await writeTinyTokenizerFiles(join(dir, 'sd1'), { padWithEndOfText: true })
      await writeTinyTokenizerFiles(join(dir, 'sd2'), { padWithEndOfText: false })
      const read = async (path: string): Promise<string> => readFile(join(dir, path), 'utf8')
      const mergesTxt = await read('sd1/merges.txt')
      expect(mergesTxt.split('\n')[0]).toBe('#version: 0.2')
      expect(mergesTxt.split('\n')[1]).toBe(buildTinyVocab().merges[0])
      expect(JSON.parse(await read('sd1/vocab.json'))).toEqual(buildTinyVocab().vocab)
      const config1 = JSON.parse(await read('sd1/tokenizer_config.json')) as Record<string, unknown>
      const config2 = JSON.parse(await read('sd2/tokenizer_config.json')) as Record<string, unknown>
      expect(config1.pad_token).toBe('<|endoftext|>')
      expect(config2.pad_token).toBe('!')
      expect(config1.model_max_length).toBe(77)
      const map2 = JSON.parse(await read('sd2/special_tokens_map.json')) as Record<string, unknown>
      expect(map2.pad_token).toBe('!')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
