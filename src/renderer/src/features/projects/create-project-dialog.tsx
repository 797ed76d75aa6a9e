import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import FormControlLabel from '@mui/material/FormControlLabel'
import Radio from '@mui/material/Radio'
import RadioGroup from '@mui/material/RadioGroup'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import type { CreateProject, Project } from '../../../../shared/contract'
import { useCapabilities } from '../../app/use-capabilities'
import { monoFontStack } from '../../app/theme'
import { ErrorAlert } from '../../components/error-alert'
import { FolderField } from '../../components/folder-field'
import { FolderPath } from '../../components/folder-path'
import { useSettings } from '../settings/use-settings'
import type { CreateForm, LocationChoice } from './model'
import { customDirError, parentDirFor, previewProjectDir, validateProjectName } from './model'
import { ProjectNameField } from './project-name-field'

const isLocation = (v: string): v is LocationChoice => v === 'default' || v === 'custom'

/** New project: a name checked as it is typed, and where its folder goes. */
export function CreateProjectDialog(props: {
  onCreate: (input: CreateProject) => Promise<Project>
  onClose: () => void
}): React.JSX.Element {
  const caps = useCapabilities()
  const defaultDir = useSettings().settings?.defaultProjectDir ?? ''
  const [form, setForm] = useState<CreateForm>({ name: '', location: 'default', customDir: '' })
  const [touched, setTouched] = useState(false)
  const [busy, setBusy] = useState(false)
  const [hostError, setHostError] = useState<unknown>(null)

  const nameError = validateProjectName(form.name)
  const dirError = customDirError(form)
  const parent = form.location === 'custom' ? form.customDir : defaultDir
  const edit = (patch: Partial<CreateForm>): void => {
    setForm((f) => ({ ...f, ...patch }))
    setHostError(null)
  }

  const submit = (): void => {
    setTouched(true)
    if (nameError || dirError || busy) return
    setBusy(true)
    setHostError(null)
    const input: CreateProject = { name: form.name.trim() }
    const parentDir = parentDirFor(form)
    if (parentDir !== undefined) input.parentDir = parentDir
    props.onCreate(input).then(props.onClose, (err: unknown) => {
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
        <DialogTitle>New project</DialogTitle>
        <DialogContent>
          <Stack spacing={2.5} sx={{ pt: 1 }}>
            <ProjectNameField
              value={form.name}
              onChange={(name) => {
                setTouched(true)
                edit({ name })
              }}
              error={nameError}
              touched={touched}
              disabled={busy}
            />
            <Stack spacing={1}>
              <Typography variant="subtitle2" id="location-label">
                Location
              </Typography>
              <RadioGroup
                aria-labelledby="location-label"
                value={form.location}
                onChange={(e) => {
                  if (isLocation(e.target.value)) edit({ location: e.target.value })
                }}
              >
                <FormControlLabel
                  value="default"
                  control={<Radio size="small" />}
                  disabled={busy}
                  label={
                    <Stack sx={{ minWidth: 0 }}>
                      <Typography variant="body2">Default location</Typography>
                      <FolderPath path={defaultDir || 'Loading…'} variant="caption" />
                    </Stack>
                  }
                  sx={{ alignItems: 'flex-start', '& .MuiRadio-root': { pt: 0.25 }, mr: 0 }}
                />
                <FormControlLabel
                  value="custom"
                  control={<Radio size="small" />}
                  disabled={busy}
                  label={<Typography variant="body2">Another folder</Typography>}
                />
              </RadioGroup>
              {form.location === 'custom' ? (
                <FolderField
                  label="Parent folder"
                  value={form.customDir}
                  onChange={(customDir) => edit({ customDir })}
                  nativeDialogs={caps.nativeDialogs}
                  dialogTitle="Folder to create the project in"
                  error={touched && form.customDir !== '' ? dirError : null}
                  helperText="The project folder is created inside this folder."
                  disabled={busy}
                />
              ) : null}
            </Stack>
            {!nameError && parent.trim() !== '' ? (
              <Typography variant="body2" color="text.secondary">
                The project folder will be{' '}
                <Typography component="span" variant="body2" sx={{ fontFamily: monoFontStack }}>
                  {previewProjectDir(parent, form.name)}
                </Typography>
              </Typography>
            ) : null}
            <ErrorAlert error={hostError} />
          </Stack>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2.5 }}>
          <Button onClick={props.onClose} disabled={busy} color="inherit">
            Cancel
          </Button>
          <Button
            type="submit"
            variant="contained"
            disabled={busy || nameError !== null || dirError !== null}
          >
            {busy ? 'Creating…' : 'Create project'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
