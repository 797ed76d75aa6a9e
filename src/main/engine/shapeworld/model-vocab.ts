/**
 * The ShapeWorld tokenizer: a CLIP-format byte-level BPE (vocab.json + merges.txt) trained on
 * the caption vocabulary until every caption word is a single token, so the text encoder sees
 * words, while any other text still tokenizes (into byte symbols) as CLIP would.
 */
import { ClipTokenizer, resolveTokenizerData } from '../sd/tokenizer'
import { trainClipBpe } from '../tiny/tiny-vocab'
import type { TinyVocab } from '../tiny/tiny-vocab'
import { vocabularyWords } from './captions'

/** The vocabulary for `words` (default: every word a ShapeWorld caption can contain). */
export function buildShapeWorldVocab(words: readonly string[] = vocabularyWords()): TinyVocab {
  return trainClipBpe(words.join(' '))
}

/** The tokenizer the exported folder describes, SD1 style (padding with `<|endoftext|>`). */
export function shapeWorldTokenizer(vocab: TinyVocab, maxLength: number): ClipTokenizer {
  return ClipTokenizer.fromData(resolveTokenizerData(vocab.vocab, vocab.merges, { maxLength }))
}
