import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import LinearProgress from '@mui/material/LinearProgress'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { JobSnapshot } from '../../../../shared/contract'
import { isActive } from '../jobs/model'
import { outcomeText } from '../jobs/progress-view'

/** The register-model job under the form: loading, or why the folder was refused. */
export function RegisterJobStatus(props: {
  job: JobSnapshot
  onCancel: () => void
}): React.JSX.Element | null {
  const { job } = props
  if (isActive(job)) {
    return (
      <Stack spacing={1} role="status">
        <LinearProgress aria-label="Checking the model" />
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
            {job.state === 'queued'
              ? 'Waiting for the running job to finish…'
              : 'Loading the model to check it…'}
          </Typography>
          <Button size="small" color="inherit" variant="outlined" onClick={props.onCancel}>
            Stop
          </Button>
        </Stack>
      </Stack>
    )
  }
  if (job.state === 'failed') {
    return (
      <Alert severity="error" role="alert">
        <strong>This folder cannot be registered. </strong>
        {outcomeText(job)}
      </Alert>
    )
  }
  if (job.state === 'succeeded') return null
  return (
    <Typography variant="body2" color="text.secondary" role="status">
      {outcomeText(job)}
    </Typography>
  )
}
