import AddIcon from '@mui/icons-material/Add'
import RemoveIcon from '@mui/icons-material/RemoveCircleOutlineOutlined'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Divider from '@mui/material/Divider'
import IconButton from '@mui/material/IconButton'
import MenuItem from '@mui/material/MenuItem'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Tooltip from '@mui/material/Tooltip'
import type { Model, Preset } from '../../../../shared/contract'
import { ChipListField } from '../../components/chip-list-field'
import { FormSection } from './form-section'
import type { ExperimentForm, FormErrors } from './form-model'
import { addConcept, applyPreset, editConcept, removeConcept, templateError } from './form-model'
import { PresetPicker } from './preset-picker'

const text = { spellCheck: false, autoComplete: 'off' } as const

/** Model, name, preset, the concepts with their anchors, and the prompt lists. */
export function ConceptsSection(props: {
  form: ExperimentForm
  modelId: string
  models: readonly Model[]
  presets: readonly Preset[]
  errors: FormErrors
  onChange: (form: ExperimentForm) => void
  disabled: boolean
}): React.JSX.Element {
  const { form, errors, disabled } = props
  const set = (patch: Partial<ExperimentForm>): void => props.onChange({ ...form, ...patch })
  const several = form.concepts.length > 1
  const presetAnchor = props.presets.find((p) => p.id === form.preset)?.anchor ?? ''
  return (
    <FormSection
      title="What to erase"
      description="Each concept is mapped onto its anchor in every template; the preserved concepts are held where they are."
    >
      <Stack spacing={3}>
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: 2.5 }}>
          <TextField
            select
            label="Model"
            value={props.modelId}
            onChange={(e) => set({ modelId: e.target.value })}
            error={errors.model !== undefined}
            helperText={errors.model ?? 'The edit is made to this model’s cross-attention.'}
            size="small"
            disabled={disabled}
          >
            {props.models.map((m) => (
              <MenuItem key={m.id} value={m.id} disabled={m.missing}>
                {m.missing ? `${m.name} (folder missing)` : m.name}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="Name (optional)"
            value={form.name}
            onChange={(e) => set({ name: e.target.value })}
            helperText="Defaults to “Erase” and the concepts."
            size="small"
            disabled={disabled}
            slotProps={{ htmlInput: { ...text, maxLength: 120 } }}
          />
        </Box>
        <PresetPicker
          presets={props.presets}
          value={form.preset}
          disabled={disabled}
          onChange={(choice) => {
            const preset = props.presets.find((p) => p.id === choice)
            props.onChange(preset ? applyPreset(form, preset) : { ...form, preset: 'custom' })
          }}
        />
        <Divider />
        <Stack spacing={2} role="group" aria-label="Concepts to erase">
          {form.concepts.map((c, i) => {
            const n = several ? ` ${i + 1}` : ''
            const e = errors.concepts[i] ?? {}
            return (
              <Stack key={c.key} direction="row" spacing={1.5} sx={{ alignItems: 'flex-start' }}>
                <TextField
                  label={`Concept${n}`}
                  value={c.concept}
                  onChange={(ev) =>
                    props.onChange(editConcept(form, c.key, { concept: ev.target.value }))
                  }
                  error={e.concept !== undefined && c.concept !== ''}
                  helperText={
                    (c.concept !== '' ? e.concept : undefined) ??
                    'What to erase, for example “Van Gogh”.'
                  }
                  size="small"
                  fullWidth
                  disabled={disabled}
                  slotProps={{ htmlInput: { ...text, maxLength: 200 } }}
                />
                <TextField
                  label={`Anchor${n}`}
                  value={c.anchor}
                  onChange={(ev) =>
                    props.onChange(editConcept(form, c.key, { anchor: ev.target.value }))
                  }
                  error={e.anchor !== undefined}
                  helperText={e.anchor ?? 'What it becomes. Empty: the empty prompt.'}
                  size="small"
                  fullWidth
                  disabled={disabled}
                  slotProps={{ htmlInput: { ...text, maxLength: 200 } }}
                />
                <Tooltip title="Remove this concept">
                  <span>
                    <IconButton
                      aria-label={`Remove concept${n || ' 1'}`}
                      onClick={() => props.onChange(removeConcept(form, c.key))}
                      disabled={disabled || !several}
                      sx={{ mt: 0.25 }}
                    >
                      <RemoveIcon />
                    </IconButton>
                  </span>
                </Tooltip>
              </Stack>
            )
          })}
          <Box>
            <Button
              startIcon={<AddIcon />}
              onClick={() => props.onChange(addConcept(form, presetAnchor))}
              disabled={disabled}
            >
              Add concept
            </Button>
          </Box>
        </Stack>
        <ChipListField
          label="Prompt templates"
          addLabel="Add a template"
          placeholder="a painting in the style of {}"
          values={form.templates}
          onChange={(templates) => set({ templates })}
          validate={templateError}
          error={errors.templates ?? null}
          helperText="Shared by every concept: {} is replaced by the concept, and by the anchor for its target."
          disabled={disabled}
        />
        <ChipListField
          label="Preserved concepts"
          addLabel="Add a preserved concept"
          placeholder="Claude Monet"
          values={form.preserve}
          onChange={(preserve) => set({ preserve })}
          emptyText="None: only the beyond points and the empty prompt are held in place."
          helperText="Held where they are (weight λ1), in the first template; drawn in the gallery."
          disabled={disabled}
        />
        <ChipListField
          label="Probe prompts"
          addLabel="Add a probe prompt"
          placeholder="a swirling night sky over a village"
          values={form.probes}
          onChange={(probes) => set({ probes })}
          emptyText="None."
          helperText="Associated prompts that do not name the concept: drawn before and after to check for residue."
          disabled={disabled}
        />
      </Stack>
    </FormSection>
  )
}
