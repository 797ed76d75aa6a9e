import SaveIcon from '@mui/icons-material/SaveAltOutlined'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import Divider from '@mui/material/Divider'
import LinearProgress from '@mui/material/LinearProgress'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useEffect, useRef, useState } from 'react'
import type { Experiment } from '../../../../shared/contract'
import { exportRecordSchema } from '../../../../shared/contract'
import { monoFontStack } from '../../app/theme'
import { ErrorAlert } from '../../components/error-alert'
import { isActive } from '../jobs/model'
import { outcomeText, progressView } from '../jobs/progress-view'
import { useJobs } from '../jobs/use-jobs'
import { ExportHistory } from './export-history'
import { ExportOptionsFields } from './export-options-fields'
import { ExportResult } from './export-result'
import { LayerErrorTable } from './layer-error-table'
import type { ExportForm } from './model'
import { exportFormFor, validateExportForm, withFormat } from './model'
import { useExportPreview } from './use-export-preview'
import { useExports } from './use-exports'

/**
 * Exports a finished experiment: format and rank, the per-layer error those give (previewed
 * before anything is written), where to save; Save runs the export job and shows what it wrote.
 */
export function ExportDialog(props: {
  experiment: Experiment
  onClose: () => void
}): React.JSX.Element {
  const exp = props.experiment
  const { state, start } = useJobs()
  const [form, setForm] = useState<ExportForm>(() => exportFormFor(exp.number))
  const [jobId, setJobId] = useState<string | null>(null)
  const [starting, setStarting] = useState(false)
  const [startError, setStartError] = useState<unknown>(null)
  const { options, errors } = validateExportForm(form)
  const preview = useExportPreview(exp.projectId, exp.id, options)
  const history = useExports(exp.projectId, exp.id)
  const job = jobId ? (state.jobs[jobId] ?? null) : null
  const saving = starting || (job !== null && isActive(job))
  const parsed = exportRecordSchema.safeParse(job?.state === 'succeeded' ? job.result : null)
  const record = parsed.success ? parsed.data : null
  const view = job ? progressView(job) : null

  const resultRef = useRef<HTMLDivElement>(null)
  const { reload } = history
  const savedId = record?.id ?? null
  useEffect(() => {
    if (savedId === null) return
    reload()
    resultRef.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' })
  }, [savedId, reload])

  const edit = (patch: Partial<ExportForm>): void => {
    setForm((f) => ({ ...f, ...patch }))
    setStartError(null)
  }
  const save = (): void => {
    if (!options || saving) return
    setStarting(true)
    setStartError(null)
    start({
      kind: 'export',
      projectId: exp.projectId,
      experimentId: exp.id,
      options,
      out: form.out.trim(),
    })
      .then((snapshot) => setJobId(snapshot.id))
      .catch((err: unknown) => setStartError(err))
      .finally(() => setStarting(false))
  }

  return (
    <Dialog
      open
      onClose={saving ? undefined : props.onClose}
      fullWidth
      maxWidth="lg"
      aria-labelledby="export-title"
    >
      <DialogTitle id="export-title">
        Export experiment {exp.number}
        <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 1.5 }}>
          {exp.name}
        </Typography>
      </DialogTitle>
      <DialogContent dividers>
        <Stack spacing={3}>
          <Box sx={{ display: 'grid', gridTemplateColumns: '320px minmax(0, 1fr)', gap: 4 }}>
            <Stack spacing={2.5}>
              <ExportOptionsFields
                form={form}
                errors={errors}
                onChange={edit}
                onFormat={(format) => {
                  setForm((f) => withFormat(f, format, exp.number))
                  setStartError(null)
                }}
                disabled={saving}
              />
              <TextField
                label="Save to"
                value={form.out}
                onChange={(e) => edit({ out: e.target.value, outEdited: true })}
                error={errors.out !== undefined}
                helperText={
                  errors.out ??
                  (form.format === 'merged'
                    ? 'A folder for the model copy, relative to the project folder or absolute.'
                    : 'A .safetensors file, relative to the project folder or absolute.')
                }
                disabled={saving}
                size="small"
                fullWidth
                slotProps={{
                  htmlInput: {
                    spellCheck: false,
                    autoComplete: 'off',
                    style: { fontFamily: monoFontStack, fontSize: '0.8125rem' },
                  },
                }}
              />
            </Stack>
            <LayerErrorTable
              preview={preview.preview}
              previewFor={preview.previewFor}
              loading={preview.loading}
              error={preview.error}
            />
          </Box>
          {job && view && view.bar !== 'none' ? (
            <Stack spacing={0.75} role="status">
              <LinearProgress
                variant={view.bar}
                value={view.bar === 'determinate' ? view.percent : undefined}
                aria-label="Export progress"
              />
              <Typography variant="body2" color="text.secondary">
                {view.phase ?? 'Exporting'}…
              </Typography>
            </Stack>
          ) : null}
          {record ? (
            <div ref={resultRef}>
              <ExportResult projectId={exp.projectId} record={record} />
            </div>
          ) : null}
          {job && (job.state === 'failed' || job.state === 'cancelled') ? (
            <ErrorAlert
              error={new Error(outcomeText(job) ?? 'The export stopped.')}
              title="Nothing was saved."
            />
          ) : null}
          <ErrorAlert error={startError} title="Could not start the export." />
          <Divider />
          <ExportHistory exports={history.exports} loadError={history.loadError} />
        </Stack>
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 2 }}>
        <Button onClick={props.onClose} color="inherit" disabled={saving}>
          {record ? 'Done' : 'Cancel'}
        </Button>
        <Button
          variant="contained"
          startIcon={<SaveIcon />}
          onClick={save}
          disabled={saving || options === null}
        >
          {saving ? 'Saving…' : 'Save'}
        </Button>
      </DialogActions>
    </Dialog>
  )
}
