import Button from '@mui/material/Button'
import Checkbox from '@mui/material/Checkbox'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogContentText from '@mui/material/DialogContentText'
import DialogTitle from '@mui/material/DialogTitle'
import FormControlLabel from '@mui/material/FormControlLabel'
import Stack from '@mui/material/Stack'
import { useState } from 'react'
import type { Project } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/error-alert'
import { FolderPath } from '../../components/folder-path'

/** Removes a project from the list; deleting its folder is a separate, explicit choice. */
export function DeleteProjectDialog(props: {
  project: Project
  onDelete: (id: string, deleteFiles: boolean) => Promise<unknown>
  onClose: () => void
}): React.JSX.Element {
  const { project } = props
  const [deleteFiles, setDeleteFiles] = useState(false)
  const [busy, setBusy] = useState(false)
  const [hostError, setHostError] = useState<unknown>(null)

  const confirm = (): void => {
    setBusy(true)
    setHostError(null)
    props
      .onDelete(project.id, deleteFiles && !project.missing)
      .then(props.onClose, (err: unknown) => {
        setHostError(err)
        setBusy(false)
      })
  }

  return (
    <Dialog
      open
      onClose={busy ? undefined : props.onClose}
      fullWidth
      maxWidth="sm"
      aria-describedby="delete-project-text"
    >
      <DialogTitle>Delete “{project.name}”?</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <DialogContentText id="delete-project-text" variant="body2">
            The project is removed from the list. Its folder stays on disk unless you also delete it
            below.
          </DialogContentText>
          <FolderPath path={project.dir} />
          <FormControlLabel
            control={
              <Checkbox
                checked={deleteFiles}
                onChange={(e) => setDeleteFiles(e.target.checked)}
                disabled={busy || project.missing}
              />
            }
            label={
              project.missing
                ? 'The project folder is missing, so there are no files to delete'
                : 'Also delete the project folder and its files'
            }
          />
          <ErrorAlert error={hostError} />
        </Stack>
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2.5 }}>
        <Button onClick={props.onClose} disabled={busy} color="inherit" autoFocus>
          Cancel
        </Button>
        <Button onClick={confirm} variant="contained" color="error" disabled={busy}>
          {busy ? 'Deleting…' : deleteFiles ? 'Delete project and files' : 'Delete project'}
        </Button>
      </DialogActions>
    </Dialog>
  )
}
