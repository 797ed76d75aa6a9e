import ArrowBackIcon from '@mui/icons-material/ArrowBack'
import CompareIcon from '@mui/icons-material/CompareArrowsOutlined'
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import FormControlLabel from '@mui/material/FormControlLabel'
import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import Switch from '@mui/material/Switch'
import Typography from '@mui/material/Typography'
import { useCallback, useState } from 'react'
import type { Experiment } from '../../../../shared/contract'
import { useRouter } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { ErrorAlert } from '../../components/error-alert'
import { useMediaUrl } from '../../components/media-context'
import { PageHeader } from '../../components/page-header'
import { useExperiments } from '../experiments/use-experiments'
import { useModels } from '../models/use-models'
import { useProject } from '../projects/use-project'
import { CompareGallery } from './compare-gallery'
import {
  columnTitle,
  differenceSummary,
  hasMetrics,
  onlyDifferences,
  parameterSections,
  resolveSelection,
  resultSections,
} from './compare-model'
import { CompareTable } from './compare-table'
import { ExperimentPicker } from './experiment-picker'

function SectionTitle(props: { id: string; title: string; children?: React.ReactNode }) {
  return (
    <Stack direction="row" spacing={1.5} sx={{ alignItems: 'baseline', mb: 1.5 }}>
      <Typography variant="h2" id={props.id}>
        {props.title}
      </Typography>
      {props.children}
    </Stack>
  )
}

function Comparison(props: {
  projectId: string
  chosen: readonly Experiment[]
  modelName: (e: Experiment) => string
  onOpen: (e: Experiment) => void
}): React.JSX.Element {
  const { chosen } = props
  const [onlyDiff, setOnlyDiff] = useState(false)
  const toMedia = useMediaUrl()
  const toUrl = useCallback(
    (rel: string) => toMedia(props.projectId, rel),
    [toMedia, props.projectId],
  )
  const params = parameterSections(chosen, props.modelName)
  const shown = onlyDiff ? onlyDifferences(params) : params
  return (
    <Stack spacing={4}>
      <Box component="section" aria-labelledby="compare-params-title">
        <SectionTitle id="compare-params-title" title="Parameters">
          <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
            {differenceSummary(params)}
          </Typography>
          <FormControlLabel
            control={<Switch checked={onlyDiff} onChange={(_, v) => setOnlyDiff(v)} />}
            label="Show only differences"
          />
        </SectionTitle>
        {shown.length === 0 ? (
          <EmptyState icon={<CompareIcon />} title="No differences">
            These experiments ran with the same settings. Turn off “Show only differences” to see
            them all, or compare runs made with other parameters.
          </EmptyState>
        ) : (
          <CompareTable
            label="Parameters compared"
            experiments={chosen}
            sections={shown}
            mergeSame={!onlyDiff}
            onOpen={props.onOpen}
          />
        )}
      </Box>
      <Box component="section" aria-labelledby="compare-results-title">
        <SectionTitle id="compare-results-title" title="Results" />
        {hasMetrics(chosen) ? null : (
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
            None of these experiments has been evaluated yet. Once one is, its H_o, Acc_e, Acc_s and
            Acc_g appear here with the best of each marked.
          </Typography>
        )}
        <CompareTable
          label="Results compared"
          experiments={chosen}
          sections={resultSections(chosen)}
          mergeSame={false}
          onOpen={props.onOpen}
        />
      </Box>
      <CompareGallery projectId={props.projectId} experiments={chosen} toUrl={toUrl} />
    </Stack>
  )
}

/**
 * Experiments of one project side by side: every parameter (differences marked, or only
 * them), the results with the best of each marked, and for two experiments of the same model
 * their galleries matched by prompt and seed.
 */
export function ComparePage(props: {
  projectId: string
  experimentIds: readonly string[]
}): React.JSX.Element {
  const { projectId } = props
  const { experiments, loadError, reload } = useExperiments(projectId)
  const { models } = useModels(projectId)
  const { project } = useProject(projectId)
  const { navigate } = useRouter()
  const selection = experiments ? resolveSelection(experiments, props.experimentIds) : null
  const chosen = selection?.chosen ?? []
  const toProject = (): void => navigate({ page: 'project', projectId })
  const open = (e: Experiment): void =>
    navigate({ page: 'experiment', projectId, experimentId: e.id })
  const modelName = (e: Experiment): string =>
    e.modelId === null
      ? 'Removed model'
      : (models?.find((m) => m.id === e.modelId)?.name ?? (models ? 'Removed model' : '…'))

  const back = (
    <Button size="small" startIcon={<ArrowBackIcon />} onClick={toProject} sx={{ mb: 1, ml: -1 }}>
      {project?.name ?? 'Project'}
    </Button>
  )
  return (
    <>
      <PageHeader
        title="Compare experiments"
        subtitle={chosen.length > 0 ? chosen.map(columnTitle).join(' · ') : undefined}
        before={back}
      />
      {loadError ? (
        <Stack spacing={2} sx={{ alignItems: 'flex-start' }}>
          <ErrorAlert
            error={loadError}
            title="Could not load the experiments."
            sx={{ alignSelf: 'stretch' }}
          />
          <Button onClick={reload}>Try again</Button>
        </Stack>
      ) : !experiments || !selection ? (
        <Skeleton variant="rounded" height={200} aria-label="Loading experiments" />
      ) : (
        <>
          <ExperimentPicker
            all={experiments}
            chosen={chosen}
            onChange={(ids) => navigate({ page: 'compare', projectId, experimentIds: ids })}
          />
          {selection.missing.length > 0 ? (
            <Alert severity="warning" sx={{ mb: 3 }}>
              {selection.missing.length === 1
                ? 'One chosen experiment no longer exists (it was deleted).'
                : `${selection.missing.length} chosen experiments no longer exist (they were deleted).`}
            </Alert>
          ) : null}
          {chosen.length < 2 ? (
            <EmptyState
              icon={<CompareIcon />}
              title="Pick experiments to compare"
              action={<Button onClick={toProject}>Back to the project</Button>}
            >
              {experiments.length < 2
                ? 'A comparison needs two experiments or more. Run another experiment in this project, then compare them here.'
                : 'Choose at least two: add them with “Add experiment” above, or tick them in the project’s experiments table and press Compare.'}
            </EmptyState>
          ) : (
            <Comparison projectId={projectId} chosen={chosen} modelName={modelName} onOpen={open} />
          )}
        </>
      )}
    </>
  )
}
