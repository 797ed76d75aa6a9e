import Box from '@mui/material/Box'
import Checkbox from '@mui/material/Checkbox'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormHelperText from '@mui/material/FormHelperText'
import MenuItem from '@mui/material/MenuItem'
import Radio from '@mui/material/Radio'
import RadioGroup from '@mui/material/RadioGroup'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import type { ExportErrors, ExportForm, ExportFormat } from './model'
import {
  exportFormats,
  formatDescriptions,
  formatLabels,
  isExportDtype,
  isExportFormat,
} from './model'

/** Format, rank, dtype and full-rank: the choices that decide the file and its error. */
export function ExportOptionsFields(props: {
  form: ExportForm
  errors: ExportErrors
  onChange: (patch: Partial<ExportForm>) => void
  onFormat: (format: ExportFormat) => void
  disabled: boolean
}): React.JSX.Element {
  const { form, errors, disabled } = props
  const lora = form.format !== 'merged'
  const fullRank = form.format === 'kohya' && form.fullRank
  return (
    <Stack spacing={2.5}>
      <div>
        <Typography variant="subtitle2" id="export-format-label" sx={{ mb: 0.5 }}>
          Format
        </Typography>
        <RadioGroup
          aria-labelledby="export-format-label"
          value={form.format}
          onChange={(e) => {
            if (isExportFormat(e.target.value)) props.onFormat(e.target.value)
          }}
        >
          {exportFormats.map((f) => (
            <FormControlLabel
              key={f}
              value={f}
              disabled={disabled}
              control={<Radio size="small" />}
              sx={{ alignItems: 'flex-start', mr: 0, '& .MuiRadio-root': { pt: 0.5 } }}
              label={
                <Box sx={{ py: 0.5 }}>
                  <Typography variant="body2" sx={{ fontWeight: 600 }}>
                    {formatLabels[f]}
                  </Typography>
                  <Typography variant="caption" color="text.secondary">
                    {formatDescriptions[f]}
                  </Typography>
                </Box>
              }
            />
          ))}
        </RadioGroup>
      </div>
      <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 2 }}>
        <TextField
          label="Rank"
          value={fullRank || !lora ? 'full' : form.rank}
          onChange={(e) => props.onChange({ rank: e.target.value })}
          error={errors.rank !== undefined}
          helperText={errors.rank ?? (lora ? 'LoRA rank per layer.' : 'Exact edit.')}
          disabled={disabled || !lora || fullRank}
          size="small"
          slotProps={{
            htmlInput: { inputMode: 'numeric', spellCheck: false, autoComplete: 'off' },
          }}
        />
        <TextField
          select
          label="Precision"
          value={form.dtype}
          onChange={(e) => {
            if (isExportDtype(e.target.value)) props.onChange({ dtype: e.target.value })
          }}
          helperText={form.dtype === 'fp16' ? 'Half the size.' : 'No rounding.'}
          disabled={disabled}
          size="small"
        >
          <MenuItem value="fp16">fp16</MenuItem>
          <MenuItem value="fp32">fp32</MenuItem>
        </TextField>
      </Box>
      <div>
        <FormControlLabel
          control={
            <Checkbox
              checked={fullRank}
              onChange={(e) => props.onChange({ fullRank: e.target.checked })}
              disabled={disabled || form.format !== 'kohya'}
              size="small"
            />
          }
          label="Full-rank .diff (kohya)"
        />
        <FormHelperText sx={{ mt: 0 }}>
          Stores each layer’s whole change: exact, larger. A1111 and ComfyUI load it.
        </FormHelperText>
      </div>
    </Stack>
  )
}
