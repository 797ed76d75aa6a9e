import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import type { Project } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/error-alert'
import { validateProjectName } from './model'
import { ProjectNameField } from './project-name-field'

/** Renames the project in the list; its folder keeps its name. */
export function RenameProjectDialog(props: {
  project: Project
  onRename: (id: string, name: string) => Promise<unknown>
  onClose: () => void
}): React.JSX.Element {
  const [name, setName] = useState(props.project.name)
  const [busy, setBusy] = useState(false)
  const [hostError, setHostError] = useState<unknown>(null)
  const error = validateProjectName(name)
  const unchanged = name.trim() === props.project.name

  const submit = (): void => {
    if (error || unchanged || busy) return
    setBusy(true)
    setHostError(null)
    props.onRename(props.project.id, name.trim()).then(props.onClose, (err: unknown) => {
      setHostError(err)
      setBusy(false)
    })
  }

  return (
    <Dialog open onClose={busy ? undefined : props.onClose} fullWidth maxWidth="sm">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          submit()
        }}
      >
        <DialogTitle>Rename project</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <ProjectNameField
              value={name}
              onChange={(v) => {
                setName(v)
                setHostError(null)
              }}
              error={error}
              touched
              disabled={busy}
            />
            <Typography variant="body2" color="text.secondary">
              The project folder on disk keeps its current name.
            </Typography>
            <ErrorAlert error={hostError} />
          </Stack>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2.5 }}>
          <Button onClick={props.onClose} disabled={busy} color="inherit">
            Cancel
          </Button>
          <Button type="submit" variant="contained" disabled={busy || error !== null || unchanged}>
            {busy ? 'Renaming…' : 'Rename'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
