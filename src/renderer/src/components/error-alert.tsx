import Alert from '@mui/material/Alert'
import type { SxProps, Theme } from '@mui/material/styles'
import { errorMessage } from './error-message'

/** A host error (or any failure) as an alert that screen readers announce. */
export function ErrorAlert(props: {
  error: unknown
  title?: string
  onClose?: () => void
  sx?: SxProps<Theme>
}): React.JSX.Element | null {
  if (props.error === null || props.error === undefined) return null
  return (
    <Alert severity="error" role="alert" onClose={props.onClose} sx={props.sx}>
      {props.title ? <strong>{props.title} </strong> : null}
      {errorMessage(props.error)}
    </Alert>
  )
}
