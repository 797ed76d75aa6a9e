import Chip from '@mui/material/Chip'
import type { JobState } from '../../../../shared/contract'
import { jobStateColor, jobStateLabel } from './progress-view'

export function JobStateChip(props: { state: JobState }): React.JSX.Element {
  const color = jobStateColor(props.state)
  return (
    <Chip
      size="small"
      label={jobStateLabel(props.state)}
      color={color}
      variant={color === 'default' ? 'outlined' : 'filled'}
      sx={{ fontWeight: 600, flexShrink: 0 }}
    />
  )
}
