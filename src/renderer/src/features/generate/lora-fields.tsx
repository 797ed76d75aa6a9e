import Checkbox from '@mui/material/Checkbox'
import FormControlLabel from '@mui/material/FormControlLabel'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import type { LoraErrors, LoraForm } from './lora-model'

/**
 * "Apply a LoRA file": off by default; when on, the file's full path (typed: the folder picker
 * cannot choose files) and its strength, −10 to 10 (negative values push away from it).
 */
export function LoraFields(props: {
  form: LoraForm
  errors: LoraErrors
  onChange: (patch: Partial<LoraForm>) => void
}): React.JSX.Element {
  const { form, errors } = props
  return (
    <Stack spacing={2} component="fieldset" sx={{ border: 0, m: 0, p: 0, minWidth: 0 }}>
      <FormControlLabel
        control={
          <Checkbox
            checked={form.enabled}
            onChange={(e) => props.onChange({ enabled: e.target.checked })}
          />
        }
        label="Apply a LoRA file"
        sx={{ alignSelf: 'flex-start' }}
      />
      {form.enabled ? (
        <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start' }}>
          <TextField
            label="LoRA file"
            value={form.path}
            onChange={(e) => props.onChange({ path: e.target.value })}
            error={errors.path !== undefined}
            helperText={
              errors.path ??
              'Full path of a kohya or PEFT .safetensors LoRA (e.g. one exported from an experiment).'
            }
            size="small"
            sx={{ flex: 1 }}
            slotProps={{ htmlInput: { spellCheck: false, autoComplete: 'off' } }}
          />
          <TextField
            label="Strength"
            value={form.scale}
            onChange={(e) => props.onChange({ scale: e.target.value })}
            error={errors.scale !== undefined}
            helperText={errors.scale ?? '−10 to 10; 1 as trained.'}
            size="small"
            sx={{ width: 160 }}
            slotProps={{
              htmlInput: { inputMode: 'decimal', spellCheck: false, autoComplete: 'off' },
            }}
          />
        </Stack>
      ) : null}
    </Stack>
  )
}
