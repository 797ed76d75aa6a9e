import ResetIcon from '@mui/icons-material/RestartAlt'
import IconButton from '@mui/material/IconButton'
import InputAdornment from '@mui/material/InputAdornment'
import TextField from '@mui/material/TextField'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import { parameterHelp } from '../../../../shared/contract'
import type { NumberParamKey } from './params-model'
import { defaultParams, isDefaultValue, paramLabels } from './params-model'

const numeric = { inputMode: 'decimal', spellCheck: false, autoComplete: 'off' } as const

/**
 * One numeric RealEra parameter: its symbol as the label, the contract's one-line explanation
 * (or the validation message) under it, and "default" or a reset button at its end.
 */
export function ParamField(props: {
  name: NumberParamKey
  value: string
  error: string | undefined
  onChange: (value: string) => void
  disabled?: boolean
}): React.JSX.Element {
  const { name } = props
  const label = paramLabels[name]
  const fallback = String(defaultParams[name])
  const atDefault = isDefaultValue(name, props.value)
  const end = atDefault ? (
    <Typography variant="caption" color="text.secondary" aria-hidden>
      default
    </Typography>
  ) : (
    <Tooltip title={`Reset to ${fallback}`}>
      <span>
        <IconButton
          size="small"
          edge="end"
          aria-label={`Reset ${label} to its default, ${fallback}`}
          onClick={() => props.onChange(fallback)}
          disabled={props.disabled}
        >
          <ResetIcon fontSize="small" />
        </IconButton>
      </span>
    </Tooltip>
  )
  return (
    <TextField
      label={label}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      error={props.error !== undefined}
      helperText={props.error ?? parameterHelp[name]}
      disabled={props.disabled}
      size="small"
      fullWidth
      slotProps={{
        htmlInput: numeric,
        input: { endAdornment: <InputAdornment position="end">{end}</InputAdornment> },
      }}
    />
  )
}
