import Button from '@mui/material/Button'
import LinearProgress from '@mui/material/LinearProgress'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { JobSnapshot } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/error-alert'
import { isActive } from '../jobs/model'
import { umapPercent, umapProgressText } from './map-model'

/**
 * Stands in for the UMAP chart until a layout is cached: what UMAP is, a button to compute it
 * (a job in the engine host, seeded with the experiment's seed), then its progress and Cancel.
 */
export function UmapPanel(props: {
  points: number
  seed: number
  job: JobSnapshot | null
  startError: unknown
  onStart: () => void
  onCancel: () => void
  size: number
}): React.JSX.Element {
  const { job } = props
  const running = job !== null && isActive(job)
  const percent = running ? umapPercent(job) : null
  return (
    <Stack
      role="region"
      aria-label="UMAP layout"
      spacing={1.5}
      sx={{
        width: { xs: '100%', lg: props.size },
        minHeight: props.size * 0.6,
        justifyContent: 'center',
        alignItems: 'flex-start',
        p: 3,
        bgcolor: 'action.hover',
        borderRadius: 1,
      }}
    >
      <Typography variant="subtitle2" component="p">
        {running ? 'Computing the UMAP layout' : 'No UMAP layout yet'}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        UMAP arranges the {props.points.toLocaleString('en-US')} points so that nearest neighbours
        stay together. It runs in the engine, seeded with the experiment’s seed ({props.seed}), so
        the layout is the same every time; it is kept with the experiment once computed.
      </Typography>
      {running ? (
        <>
          <LinearProgress
            variant={percent === null ? 'indeterminate' : 'determinate'}
            value={percent ?? undefined}
            aria-label="UMAP progress"
            sx={{ width: '100%' }}
          />
          <Typography variant="body2" role="status">
            {umapProgressText(job)}
          </Typography>
          <Button variant="outlined" onClick={props.onCancel}>
            Cancel
          </Button>
        </>
      ) : (
        <>
          {job?.state === 'failed' && job.error ? (
            <ErrorAlert error={new Error(job.error.message)} title="The UMAP layout failed." />
          ) : null}
          {job?.state === 'cancelled' ? (
            <Typography variant="body2" role="status">
              The last layout was cancelled.
            </Typography>
          ) : null}
          {props.startError ? (
            <ErrorAlert error={props.startError} title="Could not start the layout." />
          ) : null}
          <Button variant="contained" onClick={props.onStart}>
            Compute UMAP layout
          </Button>
        </>
      )}
    </Stack>
  )
}
