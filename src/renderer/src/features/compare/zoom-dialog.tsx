import NextIcon from '@mui/icons-material/ChevronRight'
import CloseIcon from '@mui/icons-material/Close'
import PrevIcon from '@mui/icons-material/ChevronLeft'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import IconButton from '@mui/material/IconButton'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { groupTitles } from '../experiments/gallery-model'
import type { CompareTriple } from './compare-gallery-model'
import type { TripleLabels } from './triple-card'
import { TripleImage } from './triple-card'

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
  const last = props.triples.length - 1
  return (
    <Dialog open onClose={props.onClose} maxWidth={false} aria-labelledby="zoom-title">
      <Stack direction="row" sx={{ alignItems: 'center', pr: 1.5 }}>
        <DialogTitle id="zoom-title" sx={{ flex: 1, minWidth: 0 }}>
          Side by side
          <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 1.5 }}>
            {groupTitles[triple.group]} · seed {triple.seed} · {props.index + 1} of{' '}
            {props.triples.length}
          </Typography>
        </DialogTitle>
        <IconButton aria-label="Close side by side" onClick={props.onClose}>
          <CloseIcon />
        </IconButton>
      </Stack>
      <DialogContent dividers>
        <Stack spacing={1.5} sx={{ alignItems: 'center' }}>
          <Typography variant="body1" sx={{ fontWeight: 500, textAlign: 'center' }}>
            {triple.prompt}
          </Typography>
          <Box
            sx={{
              display: 'grid',
              gridTemplateColumns: 'repeat(3, min(30vw, 52vh, 400px))',
              gap: 1,
            }}
          >
            <TripleImage
              image={triple.original}
              label={props.labels.original}
              prompt={triple.prompt}
              toUrl={props.toUrl}
            />
            <TripleImage
              image={triple.a}
              label={props.labels.a}
              prompt={triple.prompt}
              toUrl={props.toUrl}
            />
            <TripleImage
              image={triple.b}
              label={props.labels.b}
              prompt={triple.prompt}
              toUrl={props.toUrl}
            />
          </Box>
        </Stack>
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 1.5 }}>
        <Button
          startIcon={<PrevIcon />}
          onClick={() => props.onIndex(props.index - 1)}
          disabled={props.index === 0}
        >
          Previous
        </Button>
        <Button
          endIcon={<NextIcon />}
          onClick={() => props.onIndex(props.index + 1)}
          disabled={props.index === last}
        >
          Next
        </Button>
        <Stack sx={{ flex: 1 }} />
        <Button onClick={props.onClose} color="inherit">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  )
}
