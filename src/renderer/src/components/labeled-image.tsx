import Box from '@mui/material/Box'
import Typography from '@mui/material/Typography'
import type { GalleryImage } from '../../../shared/contract'
import { MediaImage } from './media-image'

/**
 * A square gallery image with its label over the bottom-left corner ("Original", "Erased", an
 * experiment's name); "Not drawn" where that side has no image. The alt text is
 * "label: prompt".
 */
export function LabeledImage(props: {
  image: GalleryImage | null
  label: string
  prompt: string
  toUrl: (relPath: string) => string | null
}): React.JSX.Element {
  return (
    <Box sx={{ position: 'relative', aspectRatio: '1 / 1', bgcolor: 'action.hover', minWidth: 0 }}>
      {props.image ? (
        <MediaImage src={props.toUrl(props.image.path)} alt={`${props.label}: ${props.prompt}`} />
      ) : (
        <Typography
          variant="caption"
          color="text.secondary"
          sx={{ position: 'absolute', inset: 0, display: 'grid', placeItems: 'center' }}
        >
          Not drawn
        </Typography>
      )}
      <Typography
        variant="caption"
        aria-hidden
        sx={{
          position: 'absolute',
          left: 6,
          bottom: 6,
          px: 0.75,
          borderRadius: 0.75,
          bgcolor: 'rgba(0,0,0,0.6)',
          color: 'common.white',
          fontWeight: 600,
          lineHeight: 1.6,
        }}
      >
        {props.label}
      </Typography>
    </Box>
  )
}
