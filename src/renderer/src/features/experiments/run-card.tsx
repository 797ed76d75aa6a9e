import CancelIcon from '@mui/icons-material/StopCircleOutlined'
import ResumeIcon from '@mui/icons-material/PlayArrowOutlined'
import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import LinearProgress from '@mui/material/LinearProgress'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import type { Experiment, JobSnapshot } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/error-alert'
import { formatDuration } from '../../components/format'
import { JobLog } from './job-log'
import { StageStepper } from './stage-stepper'
import type { RunState, StageClock, StageView } from './stages-model'
import {
  currentStage,
  deriveStages,
  nextStageClock,
  runStateOf,
  stageEta,
  stageLabels,
} from './stages-model'
import type { LogLine } from './use-job-logs'

/** The sentence under the stepper once the run has ended. */
function outcome(
  state: RunState | null,
  exp: Experiment | null,
  job: JobSnapshot | null,
  stages: readonly StageView[],
  resume: React.ReactNode,
): React.JSX.Element | null {
  const at = stages.find((s) => s.status === 'failed' || s.status === 'cancelled')
  const where = at ? ` during “${stageLabels[at.id].toLowerCase()}”` : ''
  switch (state) {
    case 'succeeded': {
      const took = exp?.finishedAt ? formatDuration(exp.finishedAt - exp.createdAt) : null
      return (
        <Typography variant="body2" color="text.secondary" role="status">
          {took ? `Finished in ${took}.` : 'Finished.'}
        </Typography>
      )
    }
    case 'failed':
      return (
        <Alert severity="error" role="alert">
          <strong>The run failed{where}. </strong>
          {exp?.error ?? job?.error?.message ?? 'No error message was recorded.'}
        </Alert>
      )
    case 'cancelled':
      return (
        <Alert severity="info" role="status" action={resume}>
          Cancelled{where}. What was saved before that stays;{' '}
          {resume
            ? 'resume training from its last checkpoint, or start a duplicate.'
            : 'start a duplicate to run it again.'}
        </Alert>
      )
    case 'interrupted':
      return (
        <Alert severity="warning" role="status" action={resume}>
          Interrupted{where}: the studio stopped while this experiment ran.{' '}
          {resume
            ? 'Resume training from its last checkpoint, or duplicate it.'
            : 'Duplicate it to run it again.'}
        </Alert>
      )
    case 'queued':
    case 'running':
    case null:
      return null
  }
}

/** Stages as a stepper, the current stage's progress with ETA and Cancel, and the job's log. */
export function RunCard(props: {
  experiment: Experiment | null
  job: JobSnapshot | null
  /** The job's log lines seen by this page (kept by the page, so they survive a re-render). */
  logs: readonly LogLine[]
  onCancel: (jobId: string) => Promise<unknown>
  /**
   * Set for a cancelled or interrupted full-variant run: starts a resume job (the host
   * recomputes stage 1, then continues LoRA training from its checkpoint).
   */
  onResume?: () => Promise<unknown>
}): React.JSX.Element {
  const { experiment: exp, job } = props
  const state = runStateOf(job, exp)
  const progress = job?.progress ?? null
  const [clock, setClock] = useState<StageClock | null>(null)
  const nextClock = nextStageClock(clock, progress)
  if (nextClock !== clock) setClock(nextClock)
  const [cancelling, setCancelling] = useState(false)
  const [cancelError, setCancelError] = useState<unknown>(null)
  const [resuming, setResuming] = useState(false)
  const [resumeError, setResumeError] = useState<unknown>(null)
  const { logs } = props
  const stages = deriveStages({
    state,
    phase: progress?.phase ?? null,
    galleryEnabled: exp?.gallery.enabled ?? true,
    full: exp?.params.variant === 'full',
    // An erase job that evaluates its result ends in that phase (its last progress stays).
    evaluate: progress?.phase === 'evaluate',
    timings: exp?.timings ?? {},
  })
  const current = currentStage(state, progress)
  const eta = stageEta(nextClock, progress)
  const active = state === 'running' || state === 'queued'
  const cancel = (): void => {
    if (!job) return
    setCancelling(true)
    setCancelError(null)
    props
      .onCancel(job.id)
      .catch((err: unknown) => setCancelError(err))
      .finally(() => setCancelling(false))
  }

  const { onResume } = props
  const resumeButton = onResume ? (
    <Button
      color="inherit"
      size="small"
      startIcon={<ResumeIcon />}
      disabled={resuming}
      onClick={() => {
        setResuming(true)
        setResumeError(null)
        onResume()
          .catch((err: unknown) => setResumeError(err))
          .finally(() => setResuming(false))
      }}
    >
      {resuming ? 'Resuming…' : 'Resume training'}
    </Button>
  ) : null

  return (
    <Paper variant="outlined" component="section" aria-label="Run" sx={{ p: 3 }}>
      <Stack spacing={2.5}>
        <StageStepper stages={stages} />
        {current ? (
          <Stack spacing={1}>
            <LinearProgress
              variant={current.bar}
              value={current.bar === 'determinate' ? current.percent : undefined}
              aria-label="Stage progress"
            />
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
              <Stack sx={{ flex: 1, minWidth: 0 }} role="status">
                <Typography variant="body2" sx={{ fontWeight: 500 }}>
                  {[current.label, current.steps].filter(Boolean).join(' · ')}
                </Typography>
                <Typography variant="caption" color="text.secondary">
                  {eta ?? '\u00a0'}
                </Typography>
              </Stack>
              {job ? (
                <Button
                  color="inherit"
                  variant="outlined"
                  startIcon={<CancelIcon />}
                  onClick={cancel}
                  disabled={cancelling}
                >
                  {cancelling ? 'Cancelling…' : 'Cancel'}
                </Button>
              ) : null}
            </Stack>
          </Stack>
        ) : (
          outcome(state, exp, job, stages, resumeButton)
        )}
        <ErrorAlert error={cancelError} title="Could not cancel." />
        <ErrorAlert error={resumeError} title="Could not resume." />
        {active || logs.length > 0 ? (
          <JobLog
            lines={logs}
            emptyText={
              job && job.startedAt !== null && job.lastSeq > 0 && !active
                ? 'No log lines arrived while this page was open.'
                : 'Log lines appear here as the job writes them.'
            }
          />
        ) : null}
      </Stack>
    </Paper>
  )
}
