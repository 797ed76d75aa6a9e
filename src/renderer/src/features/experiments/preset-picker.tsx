import ToggleButton from '@mui/material/ToggleButton'
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup'
import Typography from '@mui/material/Typography'
import type { Preset } from '../../../../shared/contract'
import type { PresetChoice } from './form-model'

const customDescription =
  'Your own templates, anchor and lists. Choosing a preset fills them in; you can edit them after.'

/** The presets as one row of toggle buttons, with the chosen one's description below. */
export function PresetPicker(props: {
  presets: readonly Preset[]
  value: PresetChoice
  onChange: (choice: PresetChoice) => void
  disabled?: boolean
}): React.JSX.Element {
  const chosen = props.presets.find((p) => p.id === props.value)
  return (
    <div>
      <Typography variant="subtitle2" id="preset-label" sx={{ mb: 0.75 }}>
        Preset
      </Typography>
      <ToggleButtonGroup
        exclusive
        value={props.value}
        onChange={(_, v: PresetChoice | null) => {
          if (v !== null) props.onChange(v)
        }}
        aria-labelledby="preset-label"
        size="small"
        color="primary"
        disabled={props.disabled}
        sx={{ flexWrap: 'wrap' }}
      >
        {props.presets.map((p) => (
          <ToggleButton key={p.id} value={p.id} sx={{ px: 2 }}>
            {p.label}
          </ToggleButton>
        ))}
        <ToggleButton value="custom" sx={{ px: 2 }}>
          Custom
        </ToggleButton>
      </ToggleButtonGroup>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }} aria-live="polite">
        {chosen ? chosen.description : customDescription}
      </Typography>
    </div>
  )
}
