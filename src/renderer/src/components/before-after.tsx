import Box from '@mui/material/Box'
import Chip from '@mui/material/Chip'
import Slider from '@mui/material/Slider'
import Stack from '@mui/material/Stack'
import type { PointerEvent } from 'react'
import { useState } from 'react'
import { MediaImage } from './media-image'

export interface CompareImage {
  readonly src: string | null
  readonly alt: string
  readonly label: string
}

const clamp = (v: number): number => Math.min(100, Math.max(0, Math.round(v)))

/**
 * Two images of the same size over each other, split at a position: `before` left of the line,
 * `after` right of it. The position follows a range input (arrow keys, Page Up / Down, Home /
 * End) and a drag on the picture.
 */
export function BeforeAfter(props: {
  before: CompareImage
  after: CompareImage
  /** CSS width of the square frame. */
  size: string
  initial?: number
}): React.JSX.Element {
  const [split, setSplit] = useState(props.initial ?? 50)
  const follow = (e: PointerEvent<HTMLElement>): void => {
    const box = e.currentTarget.getBoundingClientRect()
    if (box.width > 0) setSplit(clamp(((e.clientX - box.left) / box.width) * 100))
  }
  const label = { position: 'absolute', top: 8, fontWeight: 600, pointerEvents: 'none' } as const
  return (
    <Stack spacing={1} sx={{ width: props.size }}>
      <Box
        data-testid="before-after"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId)
          follow(e)
        }}
        onPointerMove={(e) => {
          if (e.currentTarget.hasPointerCapture(e.pointerId)) follow(e)
        }}
        sx={{
          position: 'relative',
          width: '100%',
          aspectRatio: '1 / 1',
          overflow: 'hidden',
          borderRadius: 1,
          bgcolor: 'action.hover',
          cursor: 'ew-resize',
          touchAction: 'none',
          userSelect: 'none',
        }}
      >
        <Box sx={{ position: 'absolute', inset: 0 }}>
          <MediaImage src={props.after.src} alt={props.after.alt} />
        </Box>
        <Box
          data-testid="before-layer"
          sx={{ position: 'absolute', inset: 0 }}
          style={{ clipPath: `inset(0 ${100 - split}% 0 0)` }}
        >
          <MediaImage src={props.before.src} alt={props.before.alt} />
        </Box>
        <Box
          aria-hidden
          sx={{
            position: 'absolute',
            top: 0,
            bottom: 0,
            width: 2,
            ml: '-1px',
            bgcolor: 'common.white',
            boxShadow: '0 0 0 1px rgba(0,0,0,0.35)',
            pointerEvents: 'none',
          }}
          style={{ left: `${split}%` }}
        />
        <Chip
          size="small"
          label={props.before.label}
          sx={{ ...label, left: 8, bgcolor: 'rgba(0,0,0,0.6)', color: 'common.white' }}
        />
        <Chip
          size="small"
          label={props.after.label}
          sx={{ ...label, right: 8, bgcolor: 'rgba(0,0,0,0.6)', color: 'common.white' }}
        />
      </Box>
      <Slider
        value={split}
        onChange={(_, v: number | number[]) => setSplit(clamp(Array.isArray(v) ? (v[0] ?? 50) : v))}
        min={0}
        max={100}
        step={1}
        shiftStep={10}
        aria-label={`Split between ${props.before.label.toLowerCase()} and ${props.after.label.toLowerCase()}`}
        getAriaValueText={(v) => `${v}% ${props.before.label.toLowerCase()}`}
        valueLabelDisplay="auto"
        valueLabelFormat={(v) => `${v} %`}
        size="small"
      />
    </Stack>
  )
}
