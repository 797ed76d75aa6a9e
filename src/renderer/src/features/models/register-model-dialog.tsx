import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogContentText from '@mui/material/DialogContentText'
import DialogTitle from '@mui/material/DialogTitle'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import { useEffect, useState } from 'react'
import type { Model } from '../../../../shared/contract'
import { modelSchema } from '../../../../shared/contract'
import { useCapabilities } from '../../app/use-capabilities'
import { ErrorAlert } from '../../components/error-alert'
import { FolderField } from '../../components/folder-field'
import { isActive } from '../jobs/model'
import { useJobs } from '../jobs/use-jobs'
import { FolderDropZone } from './folder-drop-zone'
import type { RegisterForm } from './model'
import { emptyRegisterForm, registerDirError, registerJob, registerNameError } from './model'
import { RegisterJobStatus } from './register-job-status'

const studio = typeof window === 'undefined' ? undefined : window.studio
/** Electron's path of a dropped item; undefined in a browser, which never reveals paths. */
const pathForFile = studio ? (file: File): string => studio.pathForFile(file) : undefined

const folderHelp = pathForFile
  ? 'The top folder of the model: it holds model_index.json, unet/, text_encoder/ and vae_decoder/.'
  : 'Type the folder path (a browser cannot see where a dropped folder is). It holds model_index.json, unet/ and text_encoder/.'

/**
 * Registers a model folder: starts the register-model job, which loads the model to check it,
 * and shows its progress, or the host's reason when the folder is not a usable model.
 */
export function RegisterModelDialog(props: {
  projectId: string
  onRegistered: (model: Model) => void
  onClose: () => void
}): React.JSX.Element {
  const caps = useCapabilities()
  const { state, start, cancel } = useJobs()
  const [form, setForm] = useState<RegisterForm>(emptyRegisterForm)
  const [touched, setTouched] = useState(false)
  const [starting, setStarting] = useState(false)
  const [startError, setStartError] = useState<unknown>(null)
  const [dropHint, setDropHint] = useState(false)
  const [jobId, setJobId] = useState<string | null>(null)
  const job = jobId ? (state.jobs[jobId] ?? null) : null
  const running = starting || (job !== null && isActive(job))
  const dirError = registerDirError(form)
  const nameError = registerNameError(form)

  const { onRegistered } = props
  const result = job?.state === 'succeeded' ? job.result : null
  useEffect(() => {
    const parsed = modelSchema.safeParse(result)
    if (parsed.success) onRegistered(parsed.data)
  }, [result, onRegistered])

  const edit = (patch: Partial<RegisterForm>): void => {
    setForm((f) => ({ ...f, ...patch }))
    setStartError(null)
    setDropHint(false)
  }

  const submit = (): void => {
    setTouched(true)
    if (dirError || nameError || running) return
    setStarting(true)
    setStartError(null)
    start(registerJob(props.projectId, form))
      .then((snapshot) => setJobId(snapshot.id))
      .catch((err: unknown) => setStartError(err))
      .finally(() => setStarting(false))
  }

  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="sm">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          submit()
        }}
      >
        <DialogTitle>Register model</DialogTitle>
        <DialogContent>
          <DialogContentText variant="body2" sx={{ mb: 2.5 }}>
            A Stable Diffusion model exported to ONNX with diffusers or Optimum. The studio loads it
            once to check it and records what it finds; the files stay where they are.
          </DialogContentText>
          <FolderDropZone
            pathForFile={pathForFile}
            onPath={(dir) => edit({ dir })}
            onNoPath={() => setDropHint(true)}
            disabled={running}
          >
            <Stack spacing={2.5}>
              <FolderField
                label="Model folder"
                value={form.dir}
                onChange={(dir) => edit({ dir })}
                nativeDialogs={caps.nativeDialogs}
                dialogTitle="Model folder"
                error={touched ? dirError : null}
                helperText={folderHelp}
                autoFocus
                disabled={running}
              />
              {dropHint ? (
                <Alert severity="info" onClose={() => setDropHint(false)}>
                  A browser cannot tell where a dropped folder is: type the folder path instead.
                </Alert>
              ) : null}
              <TextField
                label="Display name (optional)"
                value={form.name}
                onChange={(e) => edit({ name: e.target.value })}
                error={nameError !== null}
                helperText={nameError ?? 'Defaults to the folder name.'}
                disabled={running}
                size="small"
                fullWidth
                slotProps={{ htmlInput: { spellCheck: false, autoComplete: 'off' } }}
              />
              <ErrorAlert error={startError} title="Could not start." />
              {job ? <RegisterJobStatus job={job} onCancel={() => void cancel(job.id)} /> : null}
            </Stack>
          </FolderDropZone>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2.5 }}>
          <Button onClick={props.onClose} color="inherit">
            {running ? 'Close' : 'Cancel'}
          </Button>
          <Button type="submit" variant="contained" disabled={running || nameError !== null}>
            {running ? 'Checking…' : 'Register model'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
