import NextIcon from '@mui/icons-material/ChevronRight'
import CloseIcon from '@mui/icons-material/Close'
import PrevIcon from '@mui/icons-material/ChevronLeft'
import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import IconButton from '@mui/material/IconButton'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { BeforeAfter } from '../../components/before-after'
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
  const last = props.pairs.length - 1
  return (
    <Dialog open onClose={props.onClose} maxWidth={false} aria-labelledby="compare-title">
      <Stack direction="row" sx={{ alignItems: 'center', pr: 1.5 }}>
        <DialogTitle id="compare-title" sx={{ flex: 1, minWidth: 0 }}>
          Compare
          <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 1.5 }}>
            {groupTitles[pair.group]} · seed {pair.seed} · {props.index + 1} of {props.pairs.length}
          </Typography>
        </DialogTitle>
        <IconButton aria-label="Close comparison" onClick={props.onClose}>
          <CloseIcon />
        </IconButton>
      </Stack>
      <DialogContent dividers>
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
