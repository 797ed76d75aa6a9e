import CancelIcon from '@mui/icons-material/StopCircleOutlined'
import ImageIcon from '@mui/icons-material/ImageOutlined'
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import LinearProgress from '@mui/material/LinearProgress'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import type { JobSnapshot } from '../../../../shared/contract'
import type { ToMediaUrl } from '../../components/media-context'
import { ErrorAlert } from '../../components/error-alert'
import { isActive } from '../jobs/model'
import { JobStateChip } from '../jobs/job-state-chip'
import { outcomeText, progressView } from '../jobs/progress-view'
import { ImageFrame } from './image-frame'
import { generatePhaseLabel, resultImage } from './model'

function Placeholder(props: { text: string }): React.JSX.Element {
  return (
    <Stack
      spacing={1}
      sx={{
        aspectRatio: '1 / 1',
        alignItems: 'center',
        justifyContent: 'center',
        bgcolor: 'action.hover',
        color: 'text.secondary',
        px: 3,
        textAlign: 'center',
      }}
    >
      <ImageIcon aria-hidden sx={{ fontSize: 40 }} />
      <Typography variant="body2">{props.text}</Typography>
    </Stack>
  )
}

/** The latest generate job: progress with phase, steps and ETA and Cancel; then its image. */
export function GenerationStatus(props: {
  job: JobSnapshot | null
  projectId: string
  toUrl: ToMediaUrl
  onCancel: (jobId: string) => Promise<unknown>
}): React.JSX.Element {
  const { job } = props
  const [cancelError, setCancelError] = useState<unknown>(null)
  const image = resultImage(job)
  const view = job ? progressView(job) : null
  const phase = job?.progress ? generatePhaseLabel(job.progress.phase) : view?.phase
  const cancel = (id: string): void => {
    setCancelError(null)
    props.onCancel(id).catch((err: unknown) => setCancelError(err))
  }

  return (
    <Paper
      variant="outlined"
      component="section"
      aria-label="Latest generation"
      sx={{ alignSelf: 'start', position: 'sticky', top: 16 }}
    >
      {image ? (
        <ImageFrame
          src={props.toUrl(props.projectId, image.path)}
          alt={image.params.prompt || 'Generated image'}
          params={image.params}
          radius="8px 8px 0 0"
        />
      ) : (
        <Placeholder
          text={
            job === null
              ? 'Write a prompt and press Generate. The image appears here and in the gallery.'
              : isActive(job)
                ? 'The image appears here when it is ready.'
                : 'No image was made this time.'
          }
        />
      )}
      <Box sx={{ p: 2 }}>
        {job ? (
          <Stack spacing={1.25}>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <Typography variant="subtitle2" sx={{ flex: 1 }} noWrap title={job.title}>
                {job.title}
              </Typography>
              <JobStateChip state={job.state} />
            </Stack>
            {view && view.bar !== 'none' ? (
              <LinearProgress
                variant={view.bar}
                value={view.bar === 'determinate' ? view.percent : undefined}
                aria-label="Generation progress"
              />
            ) : null}
            {isActive(job) ? (
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                <Stack sx={{ flex: 1, minWidth: 0 }} role="status">
                  <Typography variant="body2" noWrap>
                    {[phase, view?.steps].filter(Boolean).join(' · ')}
                  </Typography>
                  <Typography variant="caption" color="text.secondary" noWrap>
                    {view?.eta ?? '\u00a0'}
                  </Typography>
                </Stack>
                <Button
                  size="small"
                  color="inherit"
                  variant="outlined"
                  startIcon={<CancelIcon />}
                  onClick={() => cancel(job.id)}
                >
                  Cancel
                </Button>
              </Stack>
            ) : job.state === 'failed' ? (
              <Alert severity="error" variant="outlined" sx={{ py: 0 }}>
                {outcomeText(job)}
              </Alert>
            ) : (
              <Typography variant="body2" color="text.secondary" role="status">
                {outcomeText(job)}
              </Typography>
            )}
            <ErrorAlert error={cancelError} />
          </Stack>
        ) : (
          <Typography variant="body2" color="text.secondary">
            Progress shows here while an image is made.
          </Typography>
        )}
      </Box>
    </Paper>
  )
}
