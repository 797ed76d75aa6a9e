import SearchIcon from '@mui/icons-material/Search'
import InputAdornment from '@mui/material/InputAdornment'
import MenuItem from '@mui/material/MenuItem'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { variantSchema } from '../../../../shared/contract'
import type { FilterState } from './table-model'
import {
  experimentStatuses,
  isExperimentStatus,
  statusLabels,
  variantShortLabels,
} from './table-model'

const variants = variantSchema.options

/** Text, status and variant filters above the experiments table. */
export function ExperimentFilters(props: {
  filter: FilterState
  onChange: (filter: FilterState) => void
  shown: number
  total: number
}): React.JSX.Element {
  const { filter } = props
  return (
    <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 1.5 }}>
      <TextField
        label="Filter experiments"
        placeholder="Name, concept or #number"
        value={filter.text}
        onChange={(e) => props.onChange({ ...filter, text: e.target.value })}
        size="small"
        sx={{ width: 300 }}
        slotProps={{
          input: {
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon fontSize="small" />
              </InputAdornment>
            ),
          },
          htmlInput: { spellCheck: false, autoComplete: 'off' },
        }}
      />
      <TextField
        select
        label="Status"
        value={filter.status}
        onChange={(e) => {
          const v = e.target.value
          props.onChange({ ...filter, status: v === 'all' || !isExperimentStatus(v) ? 'all' : v })
        }}
        size="small"
        sx={{ width: 160 }}
      >
        <MenuItem value="all">All statuses</MenuItem>
        {experimentStatuses.map((s) => (
          <MenuItem key={s} value={s}>
            {statusLabels[s]}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label="Variant"
        value={filter.variant}
        onChange={(e) => {
          const v = variants.find((x) => x === e.target.value)
          props.onChange({ ...filter, variant: v ?? 'all' })
        }}
        size="small"
        sx={{ width: 180 }}
      >
        <MenuItem value="all">All variants</MenuItem>
        {variants.map((v) => (
          <MenuItem key={v} value={v}>
            {variantShortLabels[v]}
          </MenuItem>
        ))}
      </TextField>
      <Typography
        variant="body2"
        color="text.secondary"
        sx={{ flex: 1, textAlign: 'right' }}
        role="status"
      >
        {props.shown === props.total
          ? `${props.total} ${props.total === 1 ? 'experiment' : 'experiments'}`
          : `${props.shown} of ${props.total} shown`}
      </Typography>
    </Stack>
  )
}
