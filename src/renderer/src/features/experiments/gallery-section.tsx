import Box from '@mui/material/Box'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormHelperText from '@mui/material/FormHelperText'
import MenuItem from '@mui/material/MenuItem'
import Switch from '@mui/material/Switch'
import TextField from '@mui/material/TextField'
import { isSchedulerName, schedulerOptions } from '../generate/model'
import { FormSection } from './form-section'
import type { GalleryErrors, GalleryField, GalleryForm } from './gallery-form-model'
import { evaluateHelp, evaluateLabel, galleryHelp, galleryLabels } from './gallery-form-model'

const numeric = { inputMode: 'decimal', spellCheck: false, autoComplete: 'off' } as const

/**
 * How the before/after gallery is drawn: seeds, steps, guidance, scheduler and size; and whether
 * the erased model is evaluated after the run (drawn with the same steps, guidance and size).
 */
export function GallerySection(props: {
  gallery: GalleryForm
  errors: GalleryErrors
  onChange: (patch: Partial<GalleryForm>) => void
  evaluate: boolean
  onEvaluateChange: (evaluate: boolean) => void
  disabled: boolean
}): React.JSX.Element {
  const { gallery, errors } = props
  const off = props.disabled || !gallery.enabled
  const field = (name: GalleryField, placeholder?: string): React.JSX.Element => (
    <TextField
      label={galleryLabels[name]}
      value={gallery[name]}
      onChange={(e) => props.onChange({ [name]: e.target.value })}
      error={errors[name] !== undefined}
      helperText={errors[name] ?? galleryHelp[name]}
      placeholder={placeholder}
      size="small"
      disabled={off}
      slotProps={{ htmlInput: numeric, inputLabel: placeholder ? { shrink: true } : undefined }}
    />
  )
  return (
    <FormSection
      title="Gallery"
      description="The erasure, probe and preserved prompts drawn by the original and the edited model, side by side."
      actions={
        <FormControlLabel
          control={
            <Switch
              checked={gallery.enabled}
              onChange={(e) => props.onChange({ enabled: e.target.checked })}
              disabled={props.disabled}
            />
          }
          label={galleryLabels.enabled}
          sx={{ mr: 0, flexShrink: 0 }}
        />
      }
    >
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 2.5 }}>
        {field('seeds')}
        {field('steps')}
        {field('guidance')}
        <TextField
          select
          label={galleryLabels.scheduler}
          value={gallery.scheduler}
          onChange={(e) => {
            if (isSchedulerName(e.target.value)) props.onChange({ scheduler: e.target.value })
          }}
          helperText={galleryHelp.scheduler}
          size="small"
          disabled={off}
        >
          {schedulerOptions.map((o) => (
            <MenuItem key={o.value} value={o.value}>
              {o.label}
            </MenuItem>
          ))}
        </TextField>
        <Box sx={{ gridColumn: 'span 2' }}>{field('size', 'Model’s own size')}</Box>
      </Box>
      <Box sx={{ mt: 2 }}>
        <FormControlLabel
          control={
            <Switch
              checked={props.evaluate}
              onChange={(e) => props.onEvaluateChange(e.target.checked)}
              disabled={props.disabled}
              slotProps={{ input: { 'aria-describedby': 'evaluate-after-help' } }}
            />
          }
          label={evaluateLabel}
        />
        <FormHelperText id="evaluate-after-help" sx={{ mt: 0 }}>
          {evaluateHelp}
        </FormHelperText>
      </Box>
    </FormSection>
  )
}
