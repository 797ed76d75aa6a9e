import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import { useState } from 'react'
import { useClient } from '../app/client-context'
import { monoFontStack } from '../app/theme'
import { errorMessage } from './error-message'

/**
 * A folder path. With native dialogs (Electron) the path is chosen with "Choose…"; in a browser
 * there is no folder picker, so the path is typed.
 */
export function FolderField(props: {
  label: string
  value: string
  onChange: (path: string) => void
  nativeDialogs: boolean
  dialogTitle: string
  error?: string | null
  helperText?: string
  autoFocus?: boolean
  disabled?: boolean
}): React.JSX.Element {
  const client = useClient()
  const [chooseError, setChooseError] = useState<string | null>(null)
  const choose = (): void => {
    setChooseError(null)
    client.invoke('shell.chooseFolder', { title: props.dialogTitle }).then(
      ({ path }) => {
        if (path !== null) props.onChange(path)
      },
      (err: unknown) => setChooseError(errorMessage(err)),
    )
  }
  const error = chooseError ?? props.error ?? null
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
      <TextField
        label={props.label}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        error={error !== null}
        helperText={error ?? props.helperText}
        placeholder={props.nativeDialogs ? 'No folder chosen' : '/path/to/folder'}
        autoFocus={props.autoFocus}
        disabled={props.disabled}
        fullWidth
        size="small"
        slotProps={{
          input: { readOnly: props.nativeDialogs },
          htmlInput: { spellCheck: false, style: { fontFamily: monoFontStack } },
        }}
      />
      {props.nativeDialogs ? (
        <Button
          variant="outlined"
          onClick={choose}
          disabled={props.disabled}
          sx={{ flexShrink: 0, height: 40 }}
        >
          Choose…
        </Button>
      ) : null}
    </Stack>
  )
}
