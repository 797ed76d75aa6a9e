import type { LabeledSide } from '../../components/image-set-card'
import { ImageSetCard } from '../../components/image-set-card'
import type { CompareTriple } from './compare-gallery-model'

export interface TripleLabels {
  readonly original: string
  readonly a: string
  readonly b: string
}

/** The three sides of a triple with their labels, in order. */
export const tripleSides = (triple: CompareTriple, labels: TripleLabels): LabeledSide[] => [
  { image: triple.original, label: labels.original },
  { image: triple.a, label: labels.a },
  { image: triple.b, label: labels.b },
]

/** Original | erased A | erased B for one prompt and seed; opens the zoomed view. */
export function TripleCard(props: {
  triple: CompareTriple
  labels: TripleLabels
  toUrl: (relPath: string) => string | null
  onOpen: (triple: CompareTriple) => void
}): React.JSX.Element {
  const { triple } = props
  return (
    <ImageSetCard
      sides={tripleSides(triple, props.labels)}
      prompt={triple.prompt}
      seed={triple.seed}
      actionLabel={`Zoom: ${triple.prompt}, seed ${triple.seed}`}
      toUrl={props.toUrl}
      onOpen={() => props.onOpen(triple)}
    />
  )
}
