/**
 * Names what truncation cut off, in the user's own words. The BPE tokens carry enough to do it:
 * every CLIP word ends in a `</w>` token (or is a special token), the words' bytes decode back
 * to their text, and CLIP words tile the non-whitespace characters of the normalized prompt, so
 * walking both in step tells which whitespace-separated word each token came from.
 */
import { END_OF_WORD, unicodeToText } from './byte-level'

/**
 * @param normalized the prompt after the tokenizer's normalizer (NFC, spaces, lowercase)
 * @param tokens the BPE tokens of the whole prompt, without BOS/EOS
 * @param kept how many of `tokens` fit in the window
 * @param specials added tokens that stand alone (`<|startoftext|>`, `<|endoftext|>`)
 * @returns each prompt word that lost at least one token, in order, without repeats
 */
export function findDroppedWords(
  normalized: string,
  tokens: readonly string[],
  kept: number,
  specials: ReadonlySet<string>,
): string[] {
  if (kept >= tokens.length) return []
  const wordOfToken = alignTokensToWords(normalized, tokens, specials)
  if (wordOfToken === undefined) return fallbackWords(tokens.slice(kept), specials)
  const words = splitWords(normalized)
  const out: string[] = []
  let last = -1
  for (let i = kept; i < tokens.length; i++) {
    const w = wordOfToken[i] ?? -1
    if (w !== last) {
      out.push(words[w] ?? '')
      last = w
    }
  }
  return out
}

function splitWords(normalized: string): string[] {
  return normalized.split(' ').filter((w) => w !== '')
}

/** Word index of every token, or undefined when the tokens do not spell the prompt. */
function alignTokensToWords(
  normalized: string,
  tokens: readonly string[],
  specials: ReadonlySet<string>,
): number[] | undefined {
  const words = splitWords(normalized)
  const result: number[] = []
  let word = 0
  let offset = 0
  let pending: string[] = []
  const consume = (text: string): boolean => {
    const current = words[word]
    if (current === undefined || !current.startsWith(text, offset)) return false
    for (let k = 0; k < pending.length; k++) result.push(word)
    pending = []
    offset += text.length
    if (offset === current.length) {
      word++
      offset = 0
    }
    return true
  }
  for (const token of tokens) {
    if (specials.has(token)) {
      if (pending.length > 0) return undefined
      pending.push(token)
      if (!consume(token)) return undefined
    } else {
      pending.push(token)
      if (token.endsWith(END_OF_WORD)) {
        const piece = pending.map((t) => t.replace(END_OF_WORD, '')).join('')
        if (!consume(unicodeToText(piece))) return undefined
      }
    }
  }
  return pending.length === 0 ? result : undefined
}

/** CLIP words of the dropped tokens, when the prompt could not be aligned (not expected). */
function fallbackWords(tokens: readonly string[], specials: ReadonlySet<string>): string[] {
  const out: string[] = []
  let current = ''
  for (const token of tokens) {
    if (specials.has(token)) {
      if (current !== '') out.push(unicodeToText(current))
      out.push(token)
      current = ''
    } else if (token.endsWith(END_OF_WORD)) {
      out.push(unicodeToText(current + token.slice(0, -END_OF_WORD.length)))
      current = ''
    } else {
      current += token
    }
  }
  if (current !== '') out.push(unicodeToText(current))
  return out
}
