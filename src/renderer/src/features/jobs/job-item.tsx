import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import LinearProgress from '@mui/material/LinearProgress'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import type { JobSnapshot } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/error-alert'
import { formatDateTime } from '../../components/format'
import { isActive } from './model'
import { JobStateChip } from './job-state-chip'
import { outcomeText, progressView } from './progress-view'

/** One job: title and state, then a progress bar while it runs or its outcome once it ended. */
export function JobItem(props: {
  job: JobSnapshot
  onCancel: (jobId: string) => Promise<unknown>
}): React.JSX.Element {
  const { job } = props
  const view = progressView(job)
  const outcome = outcomeText(job)
  const [cancelling, setCancelling] = useState(false)
  const [cancelError, setCancelError] = useState<unknown>(null)
  const active = isActive(job)
  const details = [view.phase, view.steps, view.eta].filter((s): s is string => s !== null)

  const cancel = (): void => {
    setCancelling(true)
    setCancelError(null)
    props
      .onCancel(job.id)
      .catch((err: unknown) => setCancelError(err))
      .finally(() => setCancelling(false))
  }

  return (
    <Box component="li" aria-label={job.title} sx={{ listStyle: 'none', px: 2.5, py: 2 }}>
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="subtitle2" noWrap title={job.title}>
            {job.title}
          </Typography>
          <Typography variant="caption" color="text.secondary">
            {formatDateTime(job.createdAt)}
          </Typography>
        </Box>
        <JobStateChip state={job.state} />
      </Stack>
      {view.bar !== 'none' ? (
        <LinearProgress
          sx={{ mt: 1.5 }}
          variant={view.bar}
          value={view.bar === 'determinate' ? view.percent : undefined}
          aria-label={`Progress of ${job.title}`}
        />
      ) : null}
      {active ? (
        <Stack direction="row" spacing={1} sx={{ mt: 1, alignItems: 'center' }}>
          <Typography variant="body2" color="text.secondary" sx={{ flex: 1, minWidth: 0 }} noWrap>
            {details.join(' · ')}
          </Typography>
          <Button
            size="small"
            color="inherit"
            variant="outlined"
            onClick={cancel}
            disabled={cancelling}
            aria-label={`Cancel ${job.title}`}
          >
            Cancel
          </Button>
        </Stack>
      ) : job.state === 'failed' ? (
        <Alert severity="error" variant="outlined" sx={{ mt: 1.5, py: 0 }}>
          {outcome}
        </Alert>
      ) : (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 0.75 }}>
          {outcome}
        </Typography>
      )}
      <ErrorAlert error={cancelError} sx={{ mt: 1 }} />
    </Box>
  )
}
