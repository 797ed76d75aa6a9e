import Box from '@mui/material/Box'
import Typography from '@mui/material/Typography'
import type { ImageInfo } from '../../../../shared/contract'
import { monoFontStack } from '../../app/theme'
import { formatDateTime, formatDuration } from '../../components/format'
import { loraLabel } from './lora-model'
import { schedulerLabel, sizeLabel } from './model'

/** Every parameter of an image, as a definition list. */
export function ParamsList(props: { image: ImageInfo; modelName: string }): React.JSX.Element {
  const { image } = props
  const p = image.params
  const rows: [string, string][] = [
    ['Prompt', p.prompt || '(empty)'],
    ['Negative prompt', p.negativePrompt || '(none)'],
    ['Model', props.modelName],
    ['Seed', String(p.seed)],
    ['Steps', String(p.steps)],
    ['Guidance', String(p.guidance)],
    ['Scheduler', schedulerLabel(p.scheduler)],
    ['Size', sizeLabel(p)],
    ...(p.lora ? [['LoRA', loraLabel(p.lora)] as [string, string]] : []),
    ['Made on', `${image.provider.toUpperCase()} in ${formatDuration(image.durationMs)}`],
    ['Created', formatDateTime(image.createdAt)],
    ['File', image.path],
  ]
  return (
    <Box
      component="dl"
      aria-label="Parameters"
      sx={{ display: 'grid', gridTemplateColumns: '124px minmax(0, 1fr)', rowGap: 1, m: 0 }}
    >
      {rows.map(([label, value]) => (
        <Box key={label} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {label}
          </Typography>
          <Typography
            component="dd"
            variant="body2"
            sx={{
              m: 0,
              minWidth: 0,
              overflowWrap: 'anywhere',
              whiteSpace: 'pre-wrap',
              fontFamily: label === 'File' ? monoFontStack : undefined,
              fontSize: label === 'File' ? '0.8125rem' : undefined,
            }}
          >
            {value}
          </Typography>
        </Box>
      ))}
    </Box>
  )
}
