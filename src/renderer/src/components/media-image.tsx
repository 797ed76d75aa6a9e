import Box from '@mui/material/Box'
import { useState } from 'react'

/** Images at most this wide are scaled with hard pixel edges (64 px test models stay sharp). */
const PIXELATED_UP_TO = 256

/**
 * A project image by URL (never base64), filling its box. Small images are drawn pixelated
 * once loaded; a null `src` (media base not known yet) leaves the box empty.
 */
export function MediaImage(props: { src: string | null; alt: string }): React.JSX.Element | null {
  const [small, setSmall] = useState(false)
  if (!props.src) return null
  return (
    <Box
      component="img"
      src={props.src}
      alt={props.alt}
      draggable={false}
      onLoad={(e) => setSmall(e.currentTarget.naturalWidth <= PIXELATED_UP_TO)}
      sx={{
        display: 'block',
        width: '100%',
        height: '100%',
        objectFit: 'contain',
        imageRendering: small ? 'pixelated' : 'auto',
      }}
    />
  )
}
