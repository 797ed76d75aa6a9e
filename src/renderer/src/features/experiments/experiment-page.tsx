import ArrowBackIcon from '@mui/icons-material/ArrowBack'
import DeleteIcon from '@mui/icons-material/DeleteOutlined'
import DuplicateIcon from '@mui/icons-material/ContentCopyOutlined'
import ExportIcon from '@mui/icons-material/FileDownloadOutlined'
import Button from '@mui/material/Button'
import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import { useCallback, useState } from 'react'
import type { Experiment } from '../../../../shared/contract'
import { useRouter } from '../../app/router'
import { ErrorAlert } from '../../components/error-alert'
import { useMediaUrl } from '../../components/media-context'
import { PageHeader } from '../../components/page-header'
import { ShowInFolderButton } from '../../components/show-in-folder-button'
import { ExportDialog } from '../export/export-dialog'
import { JobStateChip } from '../jobs/job-state-chip'
import { isActive } from '../jobs/model'
import { useJobs } from '../jobs/use-jobs'
import { useModels } from '../models/use-models'
import { useProject } from '../projects/use-project'
import { DeleteExperimentDialog } from './delete-experiment-dialog'
import { ExperimentDetails } from './experiment-details'
import { ExperimentGallery } from './experiment-gallery'
import { ExperimentStatusChip } from './experiment-status-chip'
import { RunCard } from './run-card'
import { runStateOf } from './stages-model'
import { conceptsText, variantShortLabels } from './table-model'
import { useExperiment } from './use-experiment'
import { useJobLogs } from './use-job-logs'
import { LossChart } from './loss-chart'
import { MetricsCard } from './metrics-card'
import { liveTrainingStep } from './loss-model'
import { useLiveLoss } from './use-live-loss'
import { MapSection } from '../map/map-section'

type DialogState = 'export' | 'delete' | null

const subtitleOf = (exp: Experiment, modelName: string): string =>
  `Experiment ${exp.number} · ${conceptsText(exp)} · ${variantShortLabels[exp.params.variant]} · ${modelName}`

/**
 * One experiment, running or finished: the run (stages, progress, log, Cancel), every
 * parameter, and the before/after gallery; Duplicate, Export and Delete.
 */
export function ExperimentPage(props: {
  projectId: string
  experimentId?: string
  jobId?: string
}): React.JSX.Element {
  const { projectId } = props
  const { data, job, loading, loadError, reload } = useExperiment(projectId, props)
  const { models } = useModels(projectId)
  const { project } = useProject(projectId)
  const { cancel, start, state: jobsState } = useJobs()
  const { navigate } = useRouter()
  const toMedia = useMediaUrl()
  const toUrl = useCallback((rel: string) => toMedia(projectId, rel), [toMedia, projectId])
  const [dialog, setDialog] = useState<DialogState>(null)
  const exp = data?.experiment ?? null
  const logs = useJobLogs(props.jobId ?? exp?.jobId ?? null)
  const state = runStateOf(job, exp)
  const running = state === 'running' || state === 'queued' || (job !== null && isActive(job))
  const modelName = models?.find((m) => m.id === exp?.modelId)?.name ?? 'Removed model'
  useLiveLoss(job, reload)
  const resumable =
    exp !== null &&
    exp.params.variant === 'full' &&
    !running &&
    (exp.status === 'cancelled' || exp.status === 'interrupted')
  const resume = async (): Promise<void> => {
    if (!exp) return
    const next = await start({ kind: 'resume-erase', projectId, experimentId: exp.id })
    // Follow the new job: the stages, progress and log start again.
    navigate({ page: 'experiment', projectId, experimentId: exp.id, jobId: next.id })
  }

  const back = (
    <Button
      size="small"
      startIcon={<ArrowBackIcon />}
      onClick={() => navigate({ page: 'project', projectId })}
      sx={{ mb: 1, ml: -1 }}
    >
      {project?.name ?? 'Project'}
    </Button>
  )
  if (!exp) {
    const waiting = loading || (props.jobId !== undefined && !jobsState.loaded)
    return (
      <>
        <PageHeader
          title={job?.title ?? 'Experiment'}
          before={back}
          actions={job ? <JobStateChip state={job.state} /> : undefined}
        />
        {loadError ? <ErrorAlert error={loadError} title="Could not load the experiment." /> : null}
        {job ? (
          <RunCard experiment={null} job={job} logs={logs} onCancel={cancel} />
        ) : waiting ? (
          <Skeleton variant="rounded" height={160} aria-label="Loading experiment" />
        ) : loadError ? null : (
          <ErrorAlert error={new Error('This experiment no longer exists.')} />
        )}
      </>
    )
  }

  return (
    <>
      <PageHeader
        title={exp.name}
        subtitle={subtitleOf(exp, modelName)}
        before={back}
        actions={
          <>
            <Stack sx={{ justifyContent: 'center', mr: 1 }}>
              <ExperimentStatusChip
                status={state === 'queued' ? 'running' : (state ?? exp.status)}
              />
            </Stack>
            <ShowInFolderButton
              icon
              projectId={projectId}
              target={{ kind: 'experiment', experimentId: exp.id }}
            />
            <Button
              variant="outlined"
              startIcon={<DuplicateIcon />}
              onClick={() => navigate({ page: 'new-experiment', projectId, duplicateOf: exp.id })}
            >
              Duplicate
            </Button>
            <Button
              variant="contained"
              startIcon={<ExportIcon />}
              onClick={() => setDialog('export')}
              disabled={exp.status !== 'succeeded'}
            >
              Export…
            </Button>
            <Button
              variant="outlined"
              color="error"
              startIcon={<DeleteIcon />}
              onClick={() => setDialog('delete')}
              disabled={running}
            >
              Delete
            </Button>
          </>
        }
      />
      {loadError ? (
        <ErrorAlert error={loadError} title="Could not refresh the experiment." sx={{ mb: 2 }} />
      ) : null}
      <Stack spacing={3}>
        <RunCard
          experiment={exp}
          job={job}
          logs={logs}
          onCancel={cancel}
          onResume={resumable ? resume : undefined}
        />
        {exp.params.variant === 'full' ? (
          <LossChart experiment={exp} training={liveTrainingStep(job) !== null} />
        ) : null}
        <MetricsCard projectId={projectId} experiment={exp} running={running} onEvaluated={reload} />
        <ExperimentDetails experiment={exp} modelName={modelName} />
        <MapSection projectId={projectId} experiment={exp} running={running} />
        <ExperimentGallery
          experiment={exp}
          images={data?.gallery ?? []}
          running={running}
          toUrl={toUrl}
        />
      </Stack>
      {dialog === 'export' ? (
        <ExportDialog experiment={exp} onClose={() => setDialog(null)} />
      ) : null}
      {dialog === 'delete' ? (
        <DeleteExperimentDialog
          experiment={exp}
          onDeleted={() => navigate({ page: 'project', projectId })}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </>
  )
}
