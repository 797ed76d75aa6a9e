import TextField from '@mui/material/TextField'

/**
 * The project name, checked as it is typed with the contract's own rules. The error shows once
 * the user has typed (an untouched empty field is not an error yet).
 */
export function ProjectNameField(props: {
  value: string
  onChange: (value: string) => void
  error: string | null
  touched: boolean
  disabled?: boolean
}): React.JSX.Element {
  const show = props.touched && props.error !== null
  return (
    <TextField
      label="Project name"
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      error={show}
      helperText={show ? props.error : 'Also the name of the project folder.'}
      required
      autoFocus
      fullWidth
      disabled={props.disabled}
      slotProps={{ htmlInput: { maxLength: 200, spellCheck: false, autoComplete: 'off' } }}
    />
  )
}
