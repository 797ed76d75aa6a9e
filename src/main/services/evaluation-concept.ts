import type { EvaluationConcept, Experiment } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import type { ImageClassifier } from '../engine/eval/classifier'
import { assertJudges } from '../engine/eval/classifier'
import { constraintFromCaption } from '../engine/shapeworld/captions'
import { COLOR_NAMES, SHAPE_NAMES } from '../engine/shapeworld/world'

const HOW_TO_CHOOSE =
  'Name the concept to judge: --color or --shape with `realera evaluate` (--eval-color or --eval-shape with `realera erase --evaluate`), or the colour and shape under “Settings” on the experiment’s Evaluation card in the studio.'

/** "colour red and shape circle" */
export const conceptText = (c: EvaluationConcept): string =>
  [c.color !== undefined ? `colour ${c.color}` : null, c.shape !== undefined ? `shape ${c.shape}` : null]
    .filter((x) => x !== null)
    .join(' and ')

/** "Red", "a Red  circle!" → the words constraintFromCaption reads ("red", "a red circle"). */
const normalize = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim()

/**
 * The ShapeWorld concept an erasure concept's text names: a colour or shape word or synonym
 * ("red", "crimson" → colour red; "red circle" → both), or an associated phrase ("a ruby" →
 * red diamond). Empty when the text names none.
 */
export function conceptFromText(text: string): EvaluationConcept {
  const c = constraintFromCaption(normalize(text))
  return { ...(c.color !== undefined ? { color: c.color } : {}), ...(c.shape !== undefined ? { shape: c.shape } : {}) }
}

/**
 * The concept an evaluation judges: the one asked for, else the one the experiment's concept
 * text names. Throws a StudioError naming the fix when it cannot be inferred (the text names
 * no ShapeWorld colour or shape, or several concepts name different ones) or the classifier
 * cannot judge it.
 */
export function resolveEvaluationConcept(exp: Pick<Experiment, 'number' | 'spec'>, requested: EvaluationConcept | undefined, classifier: ImageClassifier): EvaluationConcept {
  const concept = requested ?? inferConcept(exp)
  try {
    assertJudges(classifier, concept)
  } catch (err) {
    throw new StudioError('invalid-input', `${(err as Error).message} ${HOW_TO_CHOOSE}`)
  }
  return concept
}

function inferConcept(exp: Pick<Experiment, 'number' | 'spec'>): EvaluationConcept {
  const texts = exp.spec.concepts.map((c) => c.concept)
  const found = texts.map((text) => ({ text, concept: conceptFromText(text) }))
  const none = found.filter((f) => f.concept.color === undefined && f.concept.shape === undefined)
  const which = exp.number > 0 ? `Experiment ${exp.number}` : 'This experiment'
  if (none.length > 0) {
    throw new StudioError(
      'invalid-input',
      `${which} erases “${none.map((f) => f.text).join('”, “')}”, which names no ShapeWorld colour (${COLOR_NAMES.join(', ')}) or shape (${SHAPE_NAMES.join(', ')}), so the ShapeWorld evaluator cannot tell what to judge. ${HOW_TO_CHOOSE}`,
    )
  }
  const distinct = new Map(found.map((f) => [JSON.stringify(f.concept), f]))
  if (distinct.size > 1) {
    throw new StudioError(
      'invalid-input',
      `${which} erases several concepts (${[...distinct.values()].map((f) => `“${f.text}” → ${conceptText(f.concept)}`).join('; ')}) and an evaluation judges one. ${HOW_TO_CHOOSE}`,
    )
  }
  return found[0]!.concept
}
