import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogContentText from '@mui/material/DialogContentText'
import DialogTitle from '@mui/material/DialogTitle'
import Stack from '@mui/material/Stack'
import { useState } from 'react'
import type { Experiment } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'
import { ErrorAlert } from '../../components/error-alert'

/** Deletes an experiment after confirmation: its row, edit file and the erased images it drew. */
export function DeleteExperimentDialog(props: {
  experiment: Experiment
  onDeleted: () => void
  onClose: () => void
}): React.JSX.Element {
  const { experiment: exp } = props
  const client = useClient()
  const [busy, setBusy] = useState(false)
  const [hostError, setHostError] = useState<unknown>(null)
  const confirm = (): void => {
    setBusy(true)
    setHostError(null)
    client
      .invoke('experiments.delete', { projectId: exp.projectId, experimentId: exp.id })
      .then(props.onDeleted, (err: unknown) => {
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
      aria-describedby="delete-experiment-text"
    >
      <DialogTitle>
        Delete experiment {exp.number}, “{exp.name}”?
      </DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <DialogContentText id="delete-experiment-text" variant="body2">
            Its parameters, sampled points, edit file and the erased gallery images are deleted.
            Original images stay (other experiments reuse them), and so do files you exported.
          </DialogContentText>
          <ErrorAlert error={hostError} />
        </Stack>
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2.5 }}>
        <Button onClick={props.onClose} disabled={busy} color="inherit" autoFocus>
          Cancel
        </Button>
        <Button onClick={confirm} variant="contained" color="error" disabled={busy}>
          {busy ? 'Deleting…' : 'Delete experiment'}
        </Button>
      </DialogActions>
    </Dialog>
  )
}
