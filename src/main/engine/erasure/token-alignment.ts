import type { TokenPositions } from '../../../shared/contract'

/** Where a concept's tokens sit in a templated prompt (BOS is position 0). */
export interface Span {
  readonly start: number
  readonly count: number
}

export interface TokenCounter {
  /** Token count of `text` without BOS/EOS. */
  count(text: string): number
}

/**
 * Fills `template`'s `{}` with `concept` and locates the concept's tokens. CLIP tokenizes word
 * by word, so the tokens of the text before `{}` are a prefix of the prompt's tokens.
 */
export function templatedSpan(tok: TokenCounter, template: string, concept: string): { prompt: string; span: Span } {
  const at = template.indexOf('{}')
  const prefix = template.slice(0, at)
  const prompt = template.replace('{}', concept)
  const before = tok.count(prefix)
  return { prompt, span: { start: 1 + before, count: tok.count(prefix + concept) - before } }
}

/**
 * Pairs token positions of a concept prompt with positions of its anchor prompt, as UCE aligns
 * them: the concept's tokens map onto the anchor's tokens (proportionally when the counts
 * differ; onto the token before the span when the anchor is empty), and everything after the
 * concept (the rest of the template, EOS, padding) maps position by position.
 *
 * `positions` chooses which of the concept prompt's positions receive the perturbation and the
 * remapping: the concept's tokens and all that follow (the paper's reading), the concept's
 * tokens only, or UCE's choice of its last token and what follows.
 */
export function alignPositions(concept: Span, anchor: Span, positions: TokenPositions, maxLength = 77): [number, number][] {
  const pairs: [number, number][] = []
  const firstInSpan = positions === 'last-and-after' ? concept.count - 1 : 0
  for (let i = Math.max(0, firstInSpan); i < concept.count; i++) {
    const target = anchor.count > 0 ? anchor.start + Math.floor((i * anchor.count) / concept.count) : anchor.start - 1
    pairs.push([concept.start + i, target])
  }
  if (positions === 'concept-only') return pairs
  for (let t = 0; concept.start + concept.count + t < maxLength && anchor.start + anchor.count + t < maxLength; t++) {
    pairs.push([concept.start + concept.count + t, anchor.start + anchor.count + t])
  }
  return pairs
}

/** Positions of a prompt that keep their own embeddings (preserved prompts, beyond points). */
export function selfPositions(span: Span, positions: TokenPositions, maxLength = 77): number[] {
  return alignPositions(span, span, positions, maxLength).map(([p]) => p)
}
