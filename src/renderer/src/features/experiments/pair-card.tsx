import { ImageSetCard } from '../../components/image-set-card'
import type { GalleryPair } from './gallery-model'

/** One prompt and seed: the original model's image beside the erased one; opens the comparison. */
export function PairCard(props: {
  pair: GalleryPair
  toUrl: (relPath: string) => string | null
  onOpen: (pair: GalleryPair) => void
}): React.JSX.Element {
  const { pair } = props
  return (
    <ImageSetCard
      sides={[
        { image: pair.original, label: 'Original' },
        { image: pair.erased, label: 'Erased' },
      ]}
      prompt={pair.prompt}
      seed={pair.seed}
      actionLabel={`Compare: ${pair.prompt}, seed ${pair.seed}`}
      toUrl={props.toUrl}
      onOpen={() => props.onOpen(pair)}
    />
  )
}
