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
import { useId } from 'react'

/**
 * A full-size view of one item of a list, with Previous / Next to step through it and Close:
 * the gallery's comparison and the compare page's side-by-side view. The title reads
 * "{title}  {context} · {i} of {n}".
 */
export function StepperDialog(props: {
  title: string
  /** Before the position, e.g. "Erasure · seed 1". */
  context: string
  closeLabel: string
  index: number
  count: number
  onIndex: (index: number) => void
  onClose: () => void
  children: React.ReactNode
}): React.JSX.Element {
  const titleId = useId()
  return (
    <Dialog open onClose={props.onClose} maxWidth={false} aria-labelledby={titleId}>
      <Stack direction="row" sx={{ alignItems: 'center', pr: 1.5 }}>
        <DialogTitle id={titleId} sx={{ flex: 1, minWidth: 0 }}>
          {props.title}
          <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 1.5 }}>
            {props.context} · {props.index + 1} of {props.count}
          </Typography>
        </DialogTitle>
        <IconButton aria-label={props.closeLabel} onClick={props.onClose}>
          <CloseIcon />
        </IconButton>
      </Stack>
      <DialogContent dividers>{props.children}</DialogContent>
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
          disabled={props.index === props.count - 1}
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
