import Box from '@mui/material/Box'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { LabeledImage } from '../../components/labeled-image'
import { StepperDialog } from '../../components/stepper-dialog'
import { groupTitles } from '../experiments/gallery-model'
import type { CompareTriple } from './compare-gallery-model'
import type { TripleLabels } from './triple-card'
import { tripleSides } from './triple-card'

/** One prompt and seed at full size: original, erased A, erased B; Previous / Next step through. */
export function ZoomDialog(props: {
  triples: readonly CompareTriple[]
  index: number
  labels: TripleLabels
  onIndex: (index: number) => void
  toUrl: (relPath: string) => string | null
  onClose: () => void
}): React.JSX.Element | null {
  const triple = props.triples[props.index]
  if (!triple) return null
  return (
    <StepperDialog
      title="Side by side"
      context={`${groupTitles[triple.group]} · seed ${triple.seed}`}
      closeLabel="Close side by side"
      index={props.index}
      count={props.triples.length}
      onIndex={props.onIndex}
      onClose={props.onClose}
    >
      <Stack spacing={1.5} sx={{ alignItems: 'center' }}>
        <Typography variant="body1" sx={{ fontWeight: 500, textAlign: 'center' }}>
          {triple.prompt}
        </Typography>
        <Box
          sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, min(30vw, 52vh, 400px))', gap: 1 }}
        >
          {tripleSides(triple, props.labels).map((side, i) => (
            <LabeledImage
              key={i}
              image={side.image}
              label={side.label}
              prompt={triple.prompt}
              toUrl={props.toUrl}
            />
          ))}
        </Box>
      </Stack>
    </StepperDialog>
  )
}
