import Box from '@mui/material/Box'
import ButtonBase from '@mui/material/ButtonBase'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { GalleryImage } from '../../../../shared/contract'
import { MediaImage } from '../../components/media-image'
import type { CompareTriple } from './compare-gallery-model'

export interface TripleLabels {
  readonly original: string
  readonly a: string
  readonly b: string
}

/** One image of a triple with its label over it; "Not drawn" where that side has none. */
export function TripleImage(props: {
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

/** Original | erased A | erased B for one prompt and seed; opens the zoomed view. */
export function TripleCard(props: {
  triple: CompareTriple
  labels: TripleLabels
  toUrl: (relPath: string) => string | null
  onOpen: (triple: CompareTriple) => void
}): React.JSX.Element {
  const { triple, labels } = props
  return (
    <Paper variant="outlined" component="li" sx={{ listStyle: 'none', overflow: 'hidden' }}>
      <ButtonBase
        onClick={() => props.onOpen(triple)}
        aria-label={`Zoom: ${triple.prompt}, seed ${triple.seed}`}
        sx={{
          display: 'block',
          width: '100%',
          textAlign: 'left',
          '&:hover img, &.Mui-focusVisible img': { opacity: 0.9 },
          '&.Mui-focusVisible': { outline: 2, outlineColor: 'primary.main', outlineOffset: -2 },
        }}
      >
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: '2px' }}>
          <TripleImage
            image={triple.original}
            label={labels.original}
            prompt={triple.prompt}
            toUrl={props.toUrl}
          />
          <TripleImage
            image={triple.a}
            label={labels.a}
            prompt={triple.prompt}
            toUrl={props.toUrl}
          />
          <TripleImage
            image={triple.b}
            label={labels.b}
            prompt={triple.prompt}
            toUrl={props.toUrl}
          />
        </Box>
        <Stack direction="row" spacing={1.5} sx={{ px: 1.5, py: 1, alignItems: 'baseline' }}>
          <Typography
            variant="body2"
            noWrap
            title={triple.prompt}
            sx={{ fontWeight: 500, flex: 1, minWidth: 0 }}
          >
            {triple.prompt}
          </Typography>
          <Typography variant="caption" color="text.secondary" sx={{ flexShrink: 0 }}>
            seed {triple.seed}
          </Typography>
        </Stack>
      </ButtonBase>
    </Paper>
  )
}
