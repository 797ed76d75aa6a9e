import AddIcon from '@mui/icons-material/Add'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Chip from '@mui/material/Chip'
import FormHelperText from '@mui/material/FormHelperText'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useId, useState } from 'react'
import { VisuallyHidden } from './visually-hidden'

/**
 * An editable list of short texts as chips: type and press Enter (or Add) to add one; a chip's
 * delete icon, or Delete / Backspace on a focused chip, removes it. `validate` refuses an entry
 * with a message (shown under the input) before it is added.
 */
export function ChipListField(props: {
  label: string
  /** Label of the input that adds an entry ("Add a template"). */
  addLabel: string
  values: readonly string[]
  onChange: (values: string[]) => void
  helperText: string
  placeholder?: string
  emptyText?: string
  validate?: (value: string) => string | null
  error?: string | null
  disabled?: boolean
}): React.JSX.Element {
  const id = useId()
  const [draft, setDraft] = useState('')
  const [draftError, setDraftError] = useState<string | null>(null)
  const add = (): void => {
    const value = draft.trim()
    if (value === '') return
    if (props.values.includes(value)) {
      setDraftError(`“${value}” is already in the list.`)
      return
    }
    const error = props.validate?.(value) ?? null
    if (error) {
      setDraftError(error)
      return
    }
    props.onChange([...props.values, value])
    setDraft('')
    setDraftError(null)
  }
  const error = draftError ?? props.error ?? null
  return (
    <Box role="group" aria-labelledby={`${id}-label`} sx={{ position: 'relative' }}>
      <Typography variant="subtitle2" id={`${id}-label`} sx={{ mb: 0.75 }}>
        {props.label}
      </Typography>
      <VisuallyHidden>
        <span id={`${id}-hint`}>Press Delete to remove this entry.</span>
      </VisuallyHidden>
      {props.values.length > 0 ? (
        <Box
          component="ul"
          aria-label={props.label}
          sx={{
            display: 'flex',
            flexWrap: 'wrap',
            gap: 0.75,
            m: 0,
            mb: 1,
            p: 0,
            listStyle: 'none',
          }}
        >
          {props.values.map((v) => (
            <li key={v} style={{ minWidth: 0, maxWidth: '100%' }}>
              <Chip
                label={v}
                size="small"
                variant="outlined"
                disabled={props.disabled}
                onDelete={() => props.onChange(props.values.filter((x) => x !== v))}
                aria-describedby={`${id}-hint`}
                sx={{ maxWidth: '100%' }}
              />
            </li>
          ))}
        </Box>
      ) : (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {props.emptyText ?? 'None yet.'}
        </Typography>
      )}
      <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
        <TextField
          label={props.addLabel}
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value)
            setDraftError(null)
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault()
              add()
            }
          }}
          placeholder={props.placeholder}
          error={error !== null}
          size="small"
          fullWidth
          disabled={props.disabled}
          slotProps={{
            htmlInput: { spellCheck: false, autoComplete: 'off', 'aria-describedby': `${id}-help` },
          }}
        />
        <Button
          variant="outlined"
          onClick={add}
          disabled={props.disabled || draft.trim() === ''}
          startIcon={<AddIcon />}
          aria-label={props.addLabel}
          sx={{ flexShrink: 0, height: 40 }}
        >
          Add
        </Button>
      </Stack>
      <FormHelperText id={`${id}-help`} error={error !== null} sx={{ mx: 1.75 }}>
        {error ?? props.helperText}
      </FormHelperText>
    </Box>
  )
}
