import Chip from '@mui/material/Chip'
import MenuItem from '@mui/material/MenuItem'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import type { Experiment } from '../../../../shared/contract'
import { columnTitle, MAX_COMPARED } from './compare-model'

/** The experiments being compared, as removable chips, and a menu to add another. */
export function ExperimentPicker(props: {
  all: readonly Experiment[]
  chosen: readonly Experiment[]
  onChange: (ids: string[]) => void
}): React.JSX.Element {
  const chosenIds = props.chosen.map((e) => e.id)
  const others = props.all.filter((e) => !chosenIds.includes(e.id))
  const full = props.chosen.length >= MAX_COMPARED
  return (
    <Stack
      direction="row"
      spacing={1}
      useFlexGap
      sx={{ flexWrap: 'wrap', alignItems: 'center', mb: 3 }}
    >
      <Typography variant="body2" color="text.secondary" id="compared-label">
        Comparing
      </Typography>
      <Stack
        component="ul"
        direction="row"
        spacing={1}
        useFlexGap
        aria-labelledby="compared-label"
        sx={{ flexWrap: 'wrap', m: 0, p: 0, listStyle: 'none' }}
      >
        {props.chosen.map((e) => (
          <li key={e.id}>
            <Chip
              label={columnTitle(e)}
              onDelete={() => props.onChange(chosenIds.filter((id) => id !== e.id))}
              aria-label={`${columnTitle(e)}: press Delete to remove it from the comparison`}
              sx={{ maxWidth: 280 }}
            />
          </li>
        ))}
      </Stack>
      <TextField
        select
        label="Add experiment"
        value=""
        onChange={(ev) => props.onChange([...chosenIds, ev.target.value])}
        size="small"
        disabled={others.length === 0 || full}
        helperText={full ? `At most ${MAX_COMPARED} at a time` : undefined}
        sx={{ minWidth: 220 }}
      >
        {others.map((e) => (
          <MenuItem key={e.id} value={e.id}>
            {columnTitle(e)}
          </MenuItem>
        ))}
      </TextField>
    </Stack>
  )
}
