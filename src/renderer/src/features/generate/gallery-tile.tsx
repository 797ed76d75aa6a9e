import ButtonBase from '@mui/material/ButtonBase'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { ImageInfo } from '../../../../shared/contract'
import { ImageFrame } from './image-frame'
import { paramsSummary, schedulerLabel, seedAndSteps } from './model'

/** One image of the gallery: the picture, its prompt, seed, steps, scheduler and model. */
export function GalleryTile(props: {
  image: ImageInfo
  src: string | null
  modelName: string
  onOpen: (image: ImageInfo) => void
}): React.JSX.Element {
  const { image } = props
  const prompt = image.params.prompt || '(empty prompt)'
  return (
    <Paper variant="outlined" component="li" sx={{ listStyle: 'none', overflow: 'hidden' }}>
      <ButtonBase
        onClick={() => props.onOpen(image)}
        aria-label={`Open image: ${prompt}`}
        sx={{
          display: 'block',
          width: '100%',
          textAlign: 'left',
          '&:hover img, &.Mui-focusVisible img': { opacity: 0.88 },
          '&.Mui-focusVisible': { outline: 2, outlineColor: 'primary.main', outlineOffset: -2 },
        }}
      >
        <ImageFrame src={props.src} alt={prompt} params={image.params} />
        <Stack spacing={0.25} sx={{ px: 1.5, py: 1.25 }}>
          <Typography variant="body2" noWrap title={prompt} sx={{ fontWeight: 500 }}>
            {prompt}
          </Typography>
          <Typography
            variant="caption"
            color="text.secondary"
            noWrap
            title={`${paramsSummary(image.params)} · ${props.modelName}`}
          >
            {seedAndSteps(image.params)}
          </Typography>
          <Typography variant="caption" color="text.secondary" noWrap>
            {schedulerLabel(image.params.scheduler)} · {props.modelName}
          </Typography>
        </Stack>
      </ButtonBase>
    </Paper>
  )
}
