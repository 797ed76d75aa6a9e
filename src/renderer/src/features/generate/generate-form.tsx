import GenerateIcon from '@mui/icons-material/AutoAwesomeOutlined'
import RandomIcon from '@mui/icons-material/CasinoOutlined'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import IconButton from '@mui/material/IconButton'
import InputAdornment from '@mui/material/InputAdornment'
import MenuItem from '@mui/material/MenuItem'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import type { ReactNode, Ref } from 'react'
import type { Model } from '../../../../shared/contract'
import type { FieldErrors, GenerateForm } from './model'
import { isSchedulerName, randomSeed, schedulerOptions } from './model'

type NumberField = 'seed' | 'steps' | 'guidance' | 'width' | 'height'

const numeric = { htmlInput: { inputMode: 'decimal', spellCheck: false, autoComplete: 'off' } }

/** The generation settings; numbers are typed as text and checked on every keystroke. */
export function GenerateFormFields(props: {
  form: GenerateForm
  modelId: string
  models: readonly Model[]
  errors: FieldErrors
  onChange: (patch: Partial<GenerateForm>) => void
  onSubmit: () => void
  canSubmit: boolean
  busy: boolean
  promptRef?: Ref<HTMLTextAreaElement>
  /** More settings, shown between the numbers and the Generate button (the LoRA section). */
  children?: ReactNode
}): React.JSX.Element {
  const { form, errors } = props
  const number = (field: NumberField, label: string, help: string): React.JSX.Element => (
    <TextField
      label={label}
      value={form[field]}
      onChange={(e) => props.onChange({ [field]: e.target.value })}
      error={errors[field] !== undefined}
      helperText={errors[field] ?? help}
      size="small"
      slotProps={numeric}
    />
  )
  return (
    <Stack spacing={2.5}>
      <TextField
        select
        label="Model"
        value={props.modelId}
        onChange={(e) => props.onChange({ modelId: e.target.value })}
        size="small"
        helperText="Registered on the project page."
      >
        {props.models.map((m) => (
          <MenuItem key={m.id} value={m.id} disabled={m.missing}>
            {m.missing ? `${m.name} (folder missing)` : m.name}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        label="Prompt"
        value={form.prompt}
        onChange={(e) => props.onChange({ prompt: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault()
            props.onSubmit()
          }
        }}
        error={errors.prompt !== undefined}
        helperText={errors.prompt ?? 'What the image should show. Ctrl+Enter generates.'}
        multiline
        minRows={3}
        inputRef={props.promptRef}
        slotProps={{ htmlInput: { maxLength: 2000 } }}
      />
      <TextField
        label="Negative prompt"
        value={form.negativePrompt}
        onChange={(e) => props.onChange({ negativePrompt: e.target.value })}
        error={errors.negativePrompt !== undefined}
        helperText={errors.negativePrompt ?? 'What to steer away from (optional).'}
        multiline
        minRows={1}
        size="small"
        slotProps={{ htmlInput: { maxLength: 2000 } }}
      />
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 2 }}>
        <TextField
          label="Seed"
          value={form.seed}
          onChange={(e) => props.onChange({ seed: e.target.value })}
          error={errors.seed !== undefined}
          helperText={errors.seed ?? 'Same seed, same image.'}
          size="small"
          slotProps={{
            ...numeric,
            input: {
              endAdornment: (
                <InputAdornment position="end">
                  <Tooltip title="Random seed">
                    <IconButton
                      aria-label="Random seed"
                      edge="end"
                      size="small"
                      onClick={() => props.onChange({ seed: String(randomSeed()) })}
                    >
                      <RandomIcon fontSize="small" />
                    </IconButton>
                  </Tooltip>
                </InputAdornment>
              ),
            },
          }}
        />
        {number('steps', 'Steps', 'Denoising steps, 1 to 500.')}
        {number('guidance', 'Guidance', 'How closely to follow the prompt.')}
        <TextField
          select
          label="Scheduler"
          value={form.scheduler}
          onChange={(e) => {
            if (isSchedulerName(e.target.value)) props.onChange({ scheduler: e.target.value })
          }}
          size="small"
          helperText="The sampling method."
        >
          {schedulerOptions.map((o) => (
            <MenuItem key={o.value} value={o.value}>
              {o.label}
            </MenuItem>
          ))}
        </TextField>
        {number('width', 'Width', 'Pixels, a multiple of 8.')}
        {number('height', 'Height', 'Pixels, a multiple of 8.')}
      </Box>
      {props.children}
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', justifyContent: 'flex-end' }}>
        {!props.canSubmit && !props.busy ? (
          <Typography variant="body2" color="text.secondary" role="status">
            Fix the highlighted fields to generate.
          </Typography>
        ) : null}
        <Button
          type="submit"
          variant="contained"
          size="large"
          startIcon={<GenerateIcon />}
          disabled={!props.canSubmit || props.busy}
        >
          {props.busy ? 'Generating…' : 'Generate'}
        </Button>
      </Stack>
    </Stack>
  )
}
