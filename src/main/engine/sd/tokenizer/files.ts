/**
 * Reading a CLIP tokenizer folder as SD checkpoints ship it: vocab.json and merges.txt are
 * required; tokenizer_config.json and special_tokens_map.json are optional and only tell us the
 * special tokens (SD1 pads with `<|endoftext|>`, SD2 with `!`) and the window length.
 *
 * Every failure names the file and what to do about it, because the person reading it is
 * someone who copied a model folder by hand.
 */
import { readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { BYTE_TABLE, END_OF_TEXT, END_OF_WORD, START_OF_TEXT } from './byte-level'

/** SD's text encoders have 77 position embeddings; no checkpoint we load can take more. */
export const CLIP_MAX_LENGTH = 77

/** A tokenizer file is missing or unreadable; `file` is the path we looked at. */
export class TokenizerFileError extends Error {
  readonly file: string

  constructor(file: string, message: string) {
    super(message)
    this.name = 'TokenizerFileError'
    this.file = file
  }
}

/** Everything a {@link ClipTokenizer} needs, already parsed and checked. */
export interface ClipTokenizerData {
  readonly vocab: Readonly<Record<string, number>>
  /** merge rules `a b`, rank order, without the `#version` header */
  readonly merges: readonly string[]
  readonly bosToken: string
  readonly eosToken: string
  readonly padToken: string
  readonly unkToken: string
  readonly maxLength: number
}

export interface SpecialTokenSettings {
  bosToken?: string
  eosToken?: string
  padToken?: string
  unkToken?: string
  maxLength?: number
}

const FIX = "copy them from the model's original tokenizer folder"

/** Reads and checks the folder; see the module comment for what is required. */
export async function readTokenizerDir(dir: string): Promise<ClipTokenizerData> {
  const label = (name: string): string => `${basename(dir)}/${name}`
  const vocabPath = join(dir, 'vocab.json')
  const mergesPath = join(dir, 'merges.txt')
  const vocabText = await readRequired(vocabPath, label('vocab.json'))
  const mergesText = await readRequired(mergesPath, label('merges.txt'))
  const vocab = parseVocab(vocabText, label('vocab.json'), vocabPath)
  const merges = parseMerges(mergesText, label('merges.txt'), mergesPath)

  const fromConfig = await readOptionalSettings(join(dir, 'tokenizer_config.json'), label)
  const fromMap = await readOptionalSettings(join(dir, 'special_tokens_map.json'), label)
  // transformers lets special_tokens_map.json override tokenizer_config.json's special tokens;
  // so do we. The window length only ever comes from tokenizer_config.json.
  const settings: SpecialTokenSettings = { ...fromConfig, ...fromMap }
  delete settings.maxLength
  if (fromConfig.maxLength !== undefined) settings.maxLength = fromConfig.maxLength
  return resolveTokenizerData(vocab, merges, settings, label('vocab.json'), vocabPath)
}

/**
 * Applies defaults (CLIP's: BOS `<|startoftext|>`, EOS/PAD/UNK `<|endoftext|>`, 77 tokens) and
 * checks that the special tokens exist in the vocabulary.
 */
export function resolveTokenizerData(
  vocab: Readonly<Record<string, number>>,
  merges: readonly string[],
  settings: SpecialTokenSettings,
  vocabLabel = 'vocab.json',
  vocabPath = 'vocab.json',
): ClipTokenizerData {
  const data: ClipTokenizerData = {
    vocab,
    merges,
    bosToken: settings.bosToken ?? START_OF_TEXT,
    eosToken: settings.eosToken ?? END_OF_TEXT,
    padToken: settings.padToken ?? END_OF_TEXT,
    unkToken: settings.unkToken ?? END_OF_TEXT,
    maxLength: clampMaxLength(settings.maxLength),
  }
  const roles = [
    ['bos_token', data.bosToken],
    ['eos_token', data.eosToken],
    ['pad_token', data.padToken],
    ['unk_token', data.unkToken],
  ] as const
  for (const [role, token] of roles) {
    if (!Object.hasOwn(vocab, token)) {
      throw new TokenizerFileError(
        vocabPath,
        `${vocabLabel} has no entry for the ${role} ${JSON.stringify(token)}: the vocabulary ` +
          `and the tokenizer config do not belong together; ${FIX}`,
      )
    }
  }
  return data
}

/**
 * tokenizer_config.json often holds transformers' "no limit" sentinel (1e30); anything that
 * is not a usable window falls back to CLIP's 77.
 */
function clampMaxLength(value: number | undefined): number {
  if (value === undefined || !Number.isInteger(value) || value < 3) return CLIP_MAX_LENGTH
  return Math.min(value, CLIP_MAX_LENGTH)
}

async function readRequired(path: string, label: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if (isErrno(err, 'ENOENT')) {
      throw new TokenizerFileError(
        path,
        `${label} is missing: a CLIP tokenizer needs vocab.json and merges.txt; ${FIX} ` +
          `(looked for ${path})`,
      )
    }
    throw new TokenizerFileError(path, `${label} could not be read (${errMessage(err)}): ${path}`)
  }
}

/** Parses vocab.json: a JSON object of token -> unique non-negative integer id. */
export function parseVocab(text: string, label: string, path = label): Record<string, number> {
  const bad = (why: string): TokenizerFileError =>
    new TokenizerFileError(path, `${label} is malformed: ${why}; ${FIX}`)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw bad(`it is not valid JSON (${errMessage(err)})`)
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw bad('it must be a JSON object mapping each token to its id')
  }
  const vocab: Record<string, number> = {}
  const seen = new Map<number, string>()
  for (const [token, id] of Object.entries(parsed)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw bad(`the id of ${JSON.stringify(token)} is ${JSON.stringify(id)}, not an integer >= 0`)
    }
    const other = seen.get(id)
    if (other !== undefined) {
      throw bad(`${JSON.stringify(other)} and ${JSON.stringify(token)} share id ${id}`)
    }
    seen.set(id, token)
    vocab[token] = id
  }
  for (const [, ch] of BYTE_TABLE) {
    for (const symbol of [ch, ch + END_OF_WORD]) {
      if (!Object.hasOwn(vocab, symbol)) {
        throw bad(
          `the byte symbol ${JSON.stringify(symbol)} is missing (a CLIP vocabulary starts with ` +
            `the 256 byte symbols and their </w> forms); it is not a CLIP byte-level vocabulary`,
        )
      }
    }
  }
  return vocab
}

/**
 * Parses merges.txt: an optional `#version` header, then one `a b` rule per line. Blank lines
 * (the trailing newline) are ignored.
 */
export function parseMerges(text: string, label: string, path = label): string[] {
  const lines = text.split(/\r?\n/u)
  const merges: string[] = []
  lines.forEach((line, index) => {
    if (line === '' || (index === 0 && line.startsWith('#version'))) return
    const parts = line.split(' ')
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new TokenizerFileError(
        path,
        `${label} is malformed: line ${index + 1} is ${JSON.stringify(line)}, expected two ` +
          `symbols separated by one space; ${FIX}`,
      )
    }
    merges.push(line)
  })
  if (merges.length === 0) {
    throw new TokenizerFileError(path, `${label} is malformed: it holds no merge rules; ${FIX}`)
  }
  return merges
}

async function readOptionalSettings(
  path: string,
  label: (name: string) => string,
): Promise<SpecialTokenSettings> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return {}
    throw new TokenizerFileError(
      path,
      `${label(basename(path))} could not be read (${errMessage(err)})`,
    )
  }
  return parseSettings(text, label(basename(path)), path)
}

/** Picks the special tokens and model_max_length out of tokenizer_config.json or the map. */
export function parseSettings(text: string, label: string, path = label): SpecialTokenSettings {
  const bad = (why: string): TokenizerFileError =>
    new TokenizerFileError(
      path,
      `${label} is malformed: ${why}; fix it or delete it to use CLIP's defaults`,
    )
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw bad(`it is not valid JSON (${errMessage(err)})`)
  }
  if (!isRecord(parsed)) throw bad('it must be a JSON object')
  const settings: SpecialTokenSettings = {}
  const token = (key: string): string | undefined => {
    const value = parsed[key]
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string') return value
    if (isRecord(value) && typeof value.content === 'string') return value.content
    throw bad(`"${key}" must be a string or an object with a "content" string`)
  }
  const bos = token('bos_token')
  const eos = token('eos_token')
  const pad = token('pad_token')
  const unk = token('unk_token')
  if (bos !== undefined) settings.bosToken = bos
  if (eos !== undefined) settings.eosToken = eos
  if (pad !== undefined) settings.padToken = pad
  if (unk !== undefined) settings.unkToken = unk
  const maxLength = parsed.model_max_length
  if (maxLength !== undefined && maxLength !== null) {
    if (typeof maxLength !== 'number') throw bad('"model_max_length" must be a number')
    settings.maxLength = maxLength
  }
  return settings
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
