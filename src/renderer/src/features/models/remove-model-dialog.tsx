import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogContentText from '@mui/material/DialogContentText'
import DialogTitle from '@mui/material/DialogTitle'
import Stack from '@mui/material/Stack'
import { useState } from 'react'
import type { Model } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/error-alert'
import { FolderPath } from '../../components/folder-path'

/** Forgets a model; its folder on disk is never touched. */
export function RemoveModelDialog(props: {
  model: Model
  onRemove: (modelId: string) => Promise<unknown>
  onClose: () => void
}): React.JSX.Element {
  const { model } = props
  const [busy, setBusy] = useState(false)
  const [hostError, setHostError] = useState<unknown>(null)

  const confirm = (): void => {
    setBusy(true)
    setHostError(null)
    props.onRemove(model.id).then(props.onClose, (err: unknown) => {
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
      aria-describedby="remove-model-text"
    >
      <DialogTitle>Remove “{model.name}”?</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <DialogContentText id="remove-model-text" variant="body2">
            The model is removed from this project. Its files on disk are not touched: you can
            register the folder again at any time. Images made with it stay in the gallery.
          </DialogContentText>
          <FolderPath path={model.dir} />
          <ErrorAlert error={hostError} />
        </Stack>
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2.5 }}>
        <Button onClick={props.onClose} disabled={busy} color="inherit" autoFocus>
          Cancel
        </Button>
        <Button onClick={confirm} variant="contained" color="error" disabled={busy}>
          {busy ? 'Removing…' : 'Remove model'}
        </Button>
      </DialogActions>
    </Dialog>
  )
}
