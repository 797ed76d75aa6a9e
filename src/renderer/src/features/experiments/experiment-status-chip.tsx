import Chip from '@mui/material/Chip'
import type { ExperimentStatus } from './table-model'
import { statusColors, statusLabels } from './table-model'

export function ExperimentStatusChip(props: { status: ExperimentStatus }): React.JSX.Element {
  const color = statusColors[props.status]
  return (
    <Chip
      size="small"
      label={statusLabels[props.status]}
      color={color}
      variant={color === 'default' ? 'outlined' : 'filled'}
      sx={{ fontWeight: 600, flexShrink: 0 }}
    />
  )
}
