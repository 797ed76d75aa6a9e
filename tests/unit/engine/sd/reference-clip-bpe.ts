/**
 * A straight-line CLIP tokenizer, written from openai/CLIP's `simple_tokenizer.py` without
 * sharing any code with src/ (its own byte table, its own regex, the GPT-2 merge loop), so the
 * tests can cross-check the production tokenizer (@huggingface/tokenizers driven by our
 * tokenizer.json) against it. Slow on purpose: no cache, no priority queue.
 */

/** GPT-2's `bytes_to_unicode`, line for line. */
function bytesToUnicode(): Map<number, string> {
  const bs: number[] = []
  for (let b = '!'.charCodeAt(0); b <= '~'.charCodeAt(0); b++) bs.push(b)
  for (let b = '¡'.charCodeAt(0); b <= '¬'.charCodeAt(0); b++) bs.push(b)
  for (let b = '®'.charCodeAt(0); b <= 'ÿ'.charCodeAt(0); b++) bs.push(b)
  const cs = [...bs]
  let n = 0
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b)
      cs.push(256 + n)
      n++
    }
  }
  return new Map(bs.map((b, i) => [b, String.fromCharCode(cs[i] ?? 0)]))
}

const byteEncoder = bytesToUnicode()
// Python's (and Oniguruma's) \s is Unicode White_Space; JavaScript's \s is not quite that.
const pattern =
  /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\p{White_Space}\p{L}\p{N}]+/giu

function getPairs(word: readonly string[]): Set<string> {
  const pairs = new Set<string>()
  for (let i = 0; i + 1 < word.length; i++) pairs.add(`${word[i]} ${word[i + 1]}`)
  return pairs
}

export function makeReferenceBpe(merges: readonly string[]): (token: string) => string[] {
  const ranks = new Map(merges.map((m, i) => [m, i]))
  return (token: string): string[] => {
    if (token === '<|startoftext|>' || token === '<|endoftext|>') return [token]
    const chars = Array.from(token)
    let word = [...chars.slice(0, -1), `${chars[chars.length - 1] ?? ''}</w>`]
    let pairs = getPairs(word)
    if (pairs.size === 0) return word
    for (;;) {
      let bigram: string | undefined
      let best = Infinity
      for (const p of pairs) {
        const r = ranks.get(p) ?? Infinity
        if (r < best) {
          best = r
          bigram = p
        }
      }
      if (bigram === undefined) break
      const [first = '', second = ''] = bigram.split(' ')
      const next: string[] = []
      let i = 0
      while (i < word.length) {
        const j = word.indexOf(first, i)
        if (j < 0) {
          next.push(...word.slice(i))
          break
        }
        next.push(...word.slice(i, j))
        i = j
        if (word[i] === first && i < word.length - 1 && word[i + 1] === second) {
          next.push(first + second)
          i += 2
        } else {
          next.push(word[i] ?? '')
          i += 1
        }
      }
      word = next
      if (word.length === 1) break
      pairs = getPairs(word)
    }
    return word
  }
}

/** CLIP's `encode` minus ftfy/html (which the fast tokenizer does not do either): tokens. */
export function referenceTokenize(text: string, merges: readonly string[]): string[] {
  const bpe = makeReferenceBpe(merges)
  // No .trim(): JavaScript's trim also strips U+FEFF, which Python's strip() keeps; the
  // split drops leading and trailing spaces anyway.
  const cleaned = text
    .normalize('NFC')
    .replace(/\p{White_Space}+/gu, ' ')
    .toLowerCase()
  const out: string[] = []
  for (const match of cleaned.matchAll(pattern)) {
    const piece = match[0]
    const mapped = Array.from(new TextEncoder().encode(piece), (b) => byteEncoder.get(b) ?? '')
    const special = piece === '<|startoftext|>' || piece === '<|endoftext|>'
    out.push(...bpe(special ? piece : mapped.join('')))
  }
  return out
}
