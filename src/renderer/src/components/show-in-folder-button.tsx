import FolderOpenIcon from '@mui/icons-material/FolderOpenOutlined'
import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import IconButton from '@mui/material/IconButton'
import Snackbar from '@mui/material/Snackbar'
import Tooltip from '@mui/material/Tooltip'
import { useState } from 'react'
import type { ShowTarget } from '../../../shared/contract'
import { useClient } from '../app/client-context'
import { useCapabilities } from '../app/use-capabilities'
import { errorMessage } from './error-message'

/**
 * Opens the desktop's file manager at a project, experiment or export (`shell.showInFolder`).
 * Renders nothing in a browser, which has no file manager to open (the path is shown instead).
 */
export function ShowInFolderButton(props: {
  projectId: string
  target: ShowTarget
  label?: string
  /** An icon with a tooltip (page headers) or a text button. */
  icon?: boolean
}): React.JSX.Element | null {
  const client = useClient()
  const { nativeDialogs } = useCapabilities()
  const [error, setError] = useState<string | null>(null)
  if (!nativeDialogs) return null
  const label = props.label ?? 'Show in folder'
  const show = (): void => {
    client
      .invoke('shell.showInFolder', { projectId: props.projectId, target: props.target })
      .catch((err: unknown) => setError(errorMessage(err)))
  }
  return (
    <>
      {props.icon ? (
        <Tooltip title={label}>
          <IconButton aria-label={label} onClick={show}>
            <FolderOpenIcon />
          </IconButton>
        </Tooltip>
      ) : (
        <Button size="small" startIcon={<FolderOpenIcon />} onClick={show}>
          {label}
        </Button>
      )}
      <Snackbar open={error !== null} autoHideDuration={8000} onClose={() => setError(null)}>
        <Alert severity="error" role="alert" onClose={() => setError(null)}>
          {error}
        </Alert>
      </Snackbar>
    </>
  )
}
