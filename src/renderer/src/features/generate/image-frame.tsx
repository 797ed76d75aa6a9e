import Box from '@mui/material/Box'
import type { GenerationParams } from '../../../../shared/contract'
import { isSmallImage } from './model'

/**
 * A generated image, scaled to fit its square frame. Small images (64 × 64 test models) are
 * scaled with `image-rendering: pixelated`, so they stay sharp instead of turning to blur.
 */
export function ImageFrame(props: {
  src: string | null
  alt: string
  params: Pick<GenerationParams, 'width' | 'height'>
  /** CSS border-radius of the frame (for example '8px 8px 0 0' at the top of a card). */
  radius?: string
  /** CSS width of the frame; the height follows (square). Defaults to the container's width. */
  size?: string
}): React.JSX.Element {
  return (
    <Box
      sx={{
        aspectRatio: '1 / 1',
        display: 'grid',
        placeItems: 'center',
        bgcolor: 'action.hover',
        overflow: 'hidden',
        width: props.size ?? '100%',
        borderRadius: props.radius,
      }}
    >
      {props.src ? (
        <Box
          component="img"
          src={props.src}
          alt={props.alt}
          draggable={false}
          sx={{
            display: 'block',
            width: '100%',
            height: '100%',
            objectFit: 'contain',
            imageRendering: isSmallImage(props.params) ? 'pixelated' : 'auto',
          }}
        />
      ) : null}
    </Box>
  )
}
