import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormHelperText from '@mui/material/FormHelperText'
import MenuItem from '@mui/material/MenuItem'
import Switch from '@mui/material/Switch'
import TextField from '@mui/material/TextField'
import { parameterHelp, variantLabels } from '../../../../shared/contract'
import { FormSection } from './form-section'
import { ParamField } from './param-field'
import type { ParamErrors, ParamGroup, ParamKey, ParamsForm } from './params-model'
import {
  distanceUnitLabels,
  isDistanceUnit,
  isLoraParam,
  isTokenPositions,
  isVariant,
  isNumberKey,
  paramGroups,
  paramLabels,
  tokenPositionLabels,
  tokenPositionOptions,
  variantOptions,
} from './params-model'

interface FieldProps {
  readonly params: ParamsForm
  readonly errors: ParamErrors
  readonly onChange: (patch: Partial<ParamsForm>) => void
  readonly disabled: boolean
}

function ChoiceField(props: FieldProps & { name: ParamKey }): React.JSX.Element | null {
  const { params, name } = props
  const select = (
    value: string,
    options: readonly { value: string; label: string }[],
    set: (v: string) => void,
  ): React.JSX.Element => (
    <TextField
      select
      label={paramLabels[name]}
      value={value}
      onChange={(e) => set(e.target.value)}
      helperText={parameterHelp[name]}
      size="small"
      fullWidth
      disabled={props.disabled}
      sx={name === 'variant' ? { gridColumn: '1 / -1' } : undefined}
    >
      {options.map((o) => (
        <MenuItem key={o.value} value={o.value}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  )
  if (name === 'variant') {
    return select(
      params.variant,
      variantOptions.map((v) => ({ value: v, label: variantLabels[v] })),
      (v) => {
        if (isVariant(v)) props.onChange({ variant: v })
      },
    )
  }
  if (name === 'distanceUnit') {
    return select(
      params.distanceUnit,
      (['relative', 'absolute'] as const).map((v) => ({ value: v, label: distanceUnitLabels[v] })),
      (v) => {
        if (isDistanceUnit(v)) props.onChange({ distanceUnit: v })
      },
    )
  }
  if (name === 'tokenPositions') {
    return select(
      params.tokenPositions,
      tokenPositionOptions.map((v) => ({ value: v, label: tokenPositionLabels[v] })),
      (v) => {
        if (isTokenPositions(v)) props.onChange({ tokenPositions: v })
      },
    )
  }
  if (name === 'preserveUnconditional') {
    return (
      <Box sx={{ gridColumn: '1 / -1' }}>
        <FormControlLabel
          control={
            <Switch
              checked={params.preserveUnconditional}
              onChange={(e) => props.onChange({ preserveUnconditional: e.target.checked })}
              disabled={props.disabled}
            />
          }
          label={paramLabels.preserveUnconditional}
        />
        <FormHelperText sx={{ mt: 0 }}>{parameterHelp.preserveUnconditional}</FormHelperText>
      </Box>
    )
  }
  return null
}

function GroupSection(props: FieldProps & { group: ParamGroup }): React.JSX.Element {
  const { group, params } = props
  const loraOff = params.variant !== 'full'
  return (
    <FormSection title={group.title} description={group.description}>
      {group.id === 'lora' && loraOff ? (
        <Alert severity="info" variant="outlined" sx={{ mb: 2 }}>
          Used only by the full variant. Choose “{variantLabels.full}” under Method to edit them.
        </Alert>
      ) : null}
      {group.id === 'method' && params.variant === 'full' ? (
        <Alert severity="info" variant="outlined" sx={{ mb: 2 }}>
          The full variant adds stage 2, LoRA noise alignment: it trains on images the original
          model draws, so it takes far longer than stage 1, above all on a CPU. If this version of
          the engine cannot run it, the run stops with its reason.
        </Alert>
      ) : null}
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: 2.5 }}>
        {group.keys.map((key) => {
          const disabled = props.disabled || (isLoraParam(key) && loraOff)
          return isNumberKey(key) ? (
            <ParamField
              key={key}
              name={key}
              value={params[key]}
              error={props.errors[key]}
              onChange={(value) => props.onChange({ [key]: value })}
              disabled={disabled}
            />
          ) : (
            <ChoiceField key={key} {...props} name={key} disabled={disabled} />
          )
        })}
      </Box>
    </FormSection>
  )
}

/** Every RealEra parameter, grouped as the method is: method, neighborhood, closed form, LoRA. */
export function ParamsSections(props: FieldProps): React.JSX.Element {
  return (
    <>
      {paramGroups.map((group) => (
        <GroupSection key={group.id} group={group} {...props} />
      ))}
    </>
  )
}
