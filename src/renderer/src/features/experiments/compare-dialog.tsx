import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { BeforeAfter } from '../../components/before-after'
import { StepperDialog } from '../../components/stepper-dialog'
import type { GalleryPair } from './gallery-model'
import { groupTitles } from './gallery-model'

/**
 * One pair at full size with a before/after slider; Previous / Next step through the gallery.
 * The slider keeps its position from pair to pair, so the same spot can be compared.
 */
export function CompareDialog(props: {
  pairs: readonly GalleryPair[]
  index: number
  onIndex: (index: number) => void
  toUrl: (relPath: string) => string | null
  onClose: () => void
}): React.JSX.Element | null {
  const pair = props.pairs[props.index]
  if (!pair) return null
  const src = (p: GalleryPair['original']): string | null => (p ? props.toUrl(p.path) : null)
  return (
    <StepperDialog
      title="Compare"
      context={`${groupTitles[pair.group]} · seed ${pair.seed}`}
      closeLabel="Close comparison"
      index={props.index}
      count={props.pairs.length}
      onIndex={props.onIndex}
      onClose={props.onClose}
    >
      <Stack spacing={1.5} sx={{ alignItems: 'center' }}>
        <Typography
          variant="body1"
          sx={{ fontWeight: 500, maxWidth: 'min(58vh, 560px)', textAlign: 'center' }}
        >
          {pair.prompt}
        </Typography>
        <BeforeAfter
          size="min(58vh, 560px, calc(100vw - 96px))"
          before={{ src: src(pair.original), alt: `Original: ${pair.prompt}`, label: 'Original' }}
          after={{ src: src(pair.erased), alt: `Erased: ${pair.prompt}`, label: 'Erased' }}
        />
        <Typography variant="caption" color="text.secondary">
          Drag on the picture, or focus the slider and use the arrow keys (Shift for steps of 10).
        </Typography>
      </Stack>
    </StepperDialog>
  )
}
