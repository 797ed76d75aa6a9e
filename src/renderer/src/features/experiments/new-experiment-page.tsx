import ArrowBackIcon from '@mui/icons-material/ArrowBack'
import ModelIcon from '@mui/icons-material/ViewInArOutlined'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import { useState } from 'react'
import { useRouter } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { ErrorAlert } from '../../components/error-alert'
import { PageHeader } from '../../components/page-header'
import { pickModelId } from '../generate/model'
import { useJobs } from '../jobs/use-jobs'
import { useModels } from '../models/use-models'
import { useProject } from '../projects/use-project'
import { ConceptsSection } from './concepts-section'
import type { ExperimentForm } from './form-model'
import {
  emptyForm,
  formFromExperiment,
  formProblems,
  formSummary,
  validateExperimentForm,
} from './form-model'
import { GallerySection } from './gallery-section'
import { ParamsSections } from './params-sections'
import { StartPanel } from './start-panel'
import { useDuplicateSource } from './use-duplicate-source'
import { usePresets } from './use-presets'

/**
 * A new RealEra experiment: what to erase, every parameter (validated as typed with the host's
 * schema) and the gallery; Start runs the erase job and opens its page. "Duplicate" on an
 * experiment opens this page pre-filled from it.
 */
export function NewExperimentPage(props: {
  projectId: string
  duplicateOf?: string
}): React.JSX.Element {
  const { projectId } = props
  const { project, error: projectError } = useProject(projectId)
  const { models, loadError: modelsError } = useModels(projectId)
  const { presets, loadError: presetsError } = usePresets()
  const dup = useDuplicateSource(projectId, props.duplicateOf)
  const { navigate } = useRouter()
  const { start } = useJobs()
  const [edited, setEdited] = useState<ExperimentForm | null>(null)
  const [starting, setStarting] = useState(false)
  const [startError, setStartError] = useState<unknown>(null)

  const form = edited ?? (dup.source ? formFromExperiment(dup.source) : emptyForm())
  const modelId = pickModelId(models ?? [], form.modelId)
  const validation = validateExperimentForm({ ...form, modelId }, projectId)
  const problems = formProblems(validation.errors)
  const edit = (next: ExperimentForm): void => {
    setEdited(next)
    setStartError(null)
  }
  const run = (): void => {
    if (!validation.ok || starting) return
    setStarting(true)
    setStartError(null)
    start(validation.request).then(
      (job) => navigate({ page: 'experiment', projectId, jobId: job.id }),
      (err: unknown) => {
        setStartError(err)
        setStarting(false)
      },
    )
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
  const subtitle = dup.source
    ? `Settings copied from experiment ${dup.source.number}, “${dup.source.name}”. Change what you want to compare.`
    : 'Erase concepts from a model: RealEra mines the neighborhood of each concept, keeps what lies beyond it, and edits the cross-attention keys and values in closed form.'
  const header = <PageHeader title="New experiment" subtitle={subtitle} before={back} />
  const error = projectError ?? modelsError ?? presetsError ?? dup.loadError
  if (error) {
    return (
      <>
        {header}
        <ErrorAlert error={error} title="Could not open the form." />
      </>
    )
  }
  if (models === null || presets === null || !dup.ready) {
    return (
      <>
        {header}
        <Skeleton variant="rounded" height={420} aria-label="Loading the form" />
      </>
    )
  }
  if (!models.some((m) => !m.missing)) {
    return (
      <>
        {header}
        <EmptyState
          icon={<ModelIcon />}
          title="No model to erase from"
          action={
            <Button variant="contained" onClick={() => navigate({ page: 'project', projectId })}>
              Register a model
            </Button>
          }
        >
          Register a Stable Diffusion model (ONNX) on the project page first; experiments edit a
          copy of its cross-attention weights and never change its files.
        </EmptyState>
      </>
    )
  }
  const busy = starting
  return (
    <>
      {header}
      <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 300px', gap: 3 }}>
        <Stack
          spacing={3}
          component="form"
          noValidate
          aria-label="New experiment"
          onSubmit={(e) => e.preventDefault()}
        >
          <ConceptsSection
            form={form}
            modelId={modelId}
            models={models}
            presets={presets}
            errors={validation.errors}
            onChange={edit}
            disabled={busy}
          />
          <ParamsSections
            params={form.params}
            errors={validation.errors.params}
            onChange={(patch) => edit({ ...form, params: { ...form.params, ...patch } })}
            disabled={busy}
          />
          <GallerySection
            gallery={form.gallery}
            errors={validation.errors.gallery}
            onChange={(patch) => edit({ ...form, gallery: { ...form.gallery, ...patch } })}
            evaluate={form.evaluate}
            onEvaluateChange={(evaluate) => edit({ ...form, evaluate })}
            disabled={busy}
          />
        </Stack>
        <StartPanel
          form={form}
          modelName={models.find((m) => m.id === modelId)?.name ?? ''}
          summary={formSummary(form)}
          problems={problems}
          busy={busy}
          startError={startError}
          onStart={run}
        />
      </Box>
    </>
  )
}
