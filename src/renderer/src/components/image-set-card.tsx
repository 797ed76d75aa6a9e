import Box from '@mui/material/Box'
import ButtonBase from '@mui/material/ButtonBase'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { GalleryImage } from '../../../shared/contract'
import { LabeledImage } from './labeled-image'

export interface LabeledSide {
  readonly image: GalleryImage | null
  readonly label: string
}

/**
 * One prompt and seed as a row of labelled images (original | erased, or original | A | B), the
 * whole card a button that opens the larger view. A list item: render it inside a `<ul>`.
 */
export function ImageSetCard(props: {
  sides: readonly LabeledSide[]
  prompt: string
  seed: number
  /** The button's accessible name, e.g. "Compare: a red circle, seed 1". */
  actionLabel: string
  toUrl: (relPath: string) => string | null
  onOpen: () => void
}): React.JSX.Element {
  return (
    <Paper variant="outlined" component="li" sx={{ listStyle: 'none', overflow: 'hidden' }}>
      <ButtonBase
        onClick={props.onOpen}
        aria-label={props.actionLabel}
        sx={{
          display: 'block',
          width: '100%',
          textAlign: 'left',
          '&:hover img, &.Mui-focusVisible img': { opacity: 0.9 },
          '&.Mui-focusVisible': { outline: 2, outlineColor: 'primary.main', outlineOffset: -2 },
        }}
      >
        <Box
          sx={{
            display: 'grid',
            gridTemplateColumns: `repeat(${props.sides.length}, 1fr)`,
            gap: '2px',
          }}
        >
          {props.sides.map((side, i) => (
            <LabeledImage
              key={i}
              image={side.image}
              label={side.label}
              prompt={props.prompt}
              toUrl={props.toUrl}
            />
          ))}
        </Box>
        <Stack direction="row" spacing={1.5} sx={{ px: 1.5, py: 1, alignItems: 'baseline' }}>
          <Typography
            variant="body2"
            noWrap
            title={props.prompt}
            sx={{ fontWeight: 500, flex: 1, minWidth: 0 }}
          >
            {props.prompt}
          </Typography>
          <Typography variant="caption" color="text.secondary" sx={{ flexShrink: 0 }}>
            seed {props.seed}
          </Typography>
        </Stack>
      </ButtonBase>
    </Paper>
  )
}
