import Box from '@mui/material/Box'
import ButtonBase from '@mui/material/ButtonBase'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { GalleryImage } from '../../../../shared/contract'
import { MediaImage } from '../../components/media-image'
import type { GalleryPair } from './gallery-model'

function Side(props: {
  image: GalleryImage | null
  label: string
  src: string | null
  prompt: string
}): React.JSX.Element {
  return (
    <Box sx={{ position: 'relative', aspectRatio: '1 / 1', bgcolor: 'action.hover', minWidth: 0 }}>
      {props.image ? (
        <MediaImage src={props.src} alt={`${props.label}: ${props.prompt}`} />
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

/** One prompt and seed: the original model's image beside the erased one; opens the comparison. */
export function PairCard(props: {
  pair: GalleryPair
  toUrl: (relPath: string) => string | null
  onOpen: (pair: GalleryPair) => void
}): React.JSX.Element {
  const { pair } = props
  const src = (image: GalleryImage | null): string | null =>
    image ? props.toUrl(image.path) : null
  return (
    <Paper variant="outlined" component="li" sx={{ listStyle: 'none', overflow: 'hidden' }}>
      <ButtonBase
        onClick={() => props.onOpen(pair)}
        aria-label={`Compare: ${pair.prompt}, seed ${pair.seed}`}
        sx={{
          display: 'block',
          width: '100%',
          textAlign: 'left',
          '&:hover img, &.Mui-focusVisible img': { opacity: 0.9 },
          '&.Mui-focusVisible': { outline: 2, outlineColor: 'primary.main', outlineOffset: -2 },
        }}
      >
        <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '2px' }}>
          <Side
            image={pair.original}
            label="Original"
            src={src(pair.original)}
            prompt={pair.prompt}
          />
          <Side image={pair.erased} label="Erased" src={src(pair.erased)} prompt={pair.prompt} />
        </Box>
        <Stack spacing={0.25} sx={{ px: 1.5, py: 1 }}>
          <Typography variant="body2" noWrap title={pair.prompt} sx={{ fontWeight: 500 }}>
            {pair.prompt}
          </Typography>
          <Typography variant="caption" color="text.secondary">
            seed {pair.seed}
          </Typography>
        </Stack>
      </ButtonBase>
    </Paper>
  )
}
