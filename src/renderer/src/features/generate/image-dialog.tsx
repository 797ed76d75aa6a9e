import CloseIcon from '@mui/icons-material/Close'
import UseIcon from '@mui/icons-material/TuneOutlined'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import IconButton from '@mui/material/IconButton'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { ImageInfo } from '../../../../shared/contract'
import { formatDateTime } from '../../components/format'
import { ImageFrame } from './image-frame'
import { sizeLabel } from './model'
import { ParamsList } from './params-list'

/** One image at full size with every parameter, and a way to reuse them. */
export function ImageDialog(props: {
  image: ImageInfo
  src: string | null
  modelName: string
  onUseSettings: (image: ImageInfo) => void
  onClose: () => void
}): React.JSX.Element {
  const { image } = props
  return (
    <Dialog open onClose={props.onClose} maxWidth={false} aria-labelledby="image-title">
      <Stack direction="row" sx={{ alignItems: 'center', pr: 1.5 }}>
        <DialogTitle id="image-title" sx={{ flex: 1, minWidth: 0 }}>
          Image
          <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 1.5 }}>
            {sizeLabel(image.params)} · {formatDateTime(image.createdAt)}
          </Typography>
        </DialogTitle>
        <IconButton aria-label="Close image" onClick={props.onClose}>
          <CloseIcon />
        </IconButton>
      </Stack>
      <DialogContent dividers>
        <Box
          sx={{
            display: 'grid',
            gridTemplateColumns: 'auto 320px',
            gap: 3,
            alignItems: 'start',
          }}
        >
          <ImageFrame
            src={props.src}
            alt={image.params.prompt || 'Generated image'}
            params={image.params}
            radius="8px"
            size="min(66vh, 640px, calc(100vw - 480px))"
          />
          <ParamsList image={image} modelName={props.modelName} />
        </Box>
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 2 }}>
        <Button onClick={props.onClose} color="inherit">
          Close
        </Button>
        <Button
          variant="contained"
          startIcon={<UseIcon />}
          onClick={() => props.onUseSettings(image)}
        >
          Use these settings
        </Button>
      </DialogActions>
    </Dialog>
  )
}
