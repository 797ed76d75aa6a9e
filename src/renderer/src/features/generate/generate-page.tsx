import ArrowBackIcon from '@mui/icons-material/ArrowBack'
import ModelIcon from '@mui/icons-material/ViewInArOutlined'
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import { useEffect, useRef, useState } from 'react'
import type { ImageInfo, Project } from '../../../../shared/contract'
import { useRouter } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { ErrorAlert } from '../../components/error-alert'
import { useMediaUrl } from '../../components/media-context'
import { PageHeader } from '../../components/page-header'
import { isActive, selectJobs } from '../jobs/model'
import { useJobs } from '../jobs/use-jobs'
import { useModels } from '../models/use-models'
import { useProject } from '../projects/use-project'
import { Gallery } from './gallery'
import { GenerateFormFields } from './generate-form'
import { GenerationStatus } from './generation-status'
import { ImageDialog } from './image-dialog'
import type { GenerateForm } from './model'
import {
  defaultForm,
  formFromParams,
  latestGenerateJob,
  modelNameFor,
  pickModelId,
  validateGenerateForm,
} from './model'
import { LoraFields } from './lora-fields'
import type { LoraForm } from './lora-model'
import { defaultLoraForm, loraFormFromParams, validateLoraForm, withLora } from './lora-model'
import { useImages } from './use-images'
import { useJobWarnings } from './use-job-warnings'

/** Text to image in one project: settings, the running job, and the project's gallery. */
export function GeneratePage(props: {
  projectId: string
  initialModelId?: string
}): React.JSX.Element {
  const { projectId } = props
  const { project, error: projectError } = useProject(projectId)
  const { models, loadError: modelsError } = useModels(projectId)
  const { images, loadError: imagesError } = useImages(projectId)
  const { state, start, cancel } = useJobs()
  const toUrl = useMediaUrl()
  const { navigate } = useRouter()
  const [form, setForm] = useState<GenerateForm>(() => defaultForm(props.initialModelId ?? ''))
  const [lora, setLora] = useState<LoraForm>(defaultLoraForm)
  const warningsByJob = useJobWarnings()
  const [starting, setStarting] = useState(false)
  const [startError, setStartError] = useState<unknown>(null)
  const [open, setOpen] = useState<ImageInfo | null>(null)
  const [focusPrompt, setFocusPrompt] = useState(0)
  const promptRef = useRef<HTMLTextAreaElement>(null)
  useEffect(() => {
    if (focusPrompt > 0) promptRef.current?.focus()
  }, [focusPrompt])

  const job = latestGenerateJob(selectJobs(state, projectId))
  const busy = starting || (job !== null && isActive(job))
  const modelId = pickModelId(models ?? [], form.modelId || props.initialModelId)
  const validation = validateGenerateForm(form)
  const loraValidation = validateLoraForm(lora)
  const canSubmit = validation.ok && loraValidation.ok && modelId !== ''
  const warnings = job ? (warningsByJob[job.id] ?? []) : []

  const edit = (patch: Partial<GenerateForm>): void => {
    setForm((f) => ({ ...f, ...patch }))
    setStartError(null)
  }
  const editLora = (patch: Partial<LoraForm>): void => {
    setLora((l) => ({ ...l, ...patch }))
    setStartError(null)
  }
  const generate = (): void => {
    if (!validation.ok || !loraValidation.ok || modelId === '' || busy) return
    setStarting(true)
    setStartError(null)
    const params = withLora(validation.params, loraValidation.lora)
    start({ kind: 'generate', projectId, modelId, params })
      .catch((err: unknown) => setStartError(err))
      .finally(() => setStarting(false))
  }
  const applySettings = (image: ImageInfo): void => {
    setForm(formFromParams(image.params, image.modelId ?? modelId))
    setLora(loraFormFromParams(image.params))
    setOpen(null)
    setFocusPrompt((n) => n + 1)
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
  const header = <PageHeader title="Generate" subtitle={subtitle(project)} before={back} />
  const error = projectError ?? modelsError
  if (error) {
    return (
      <>
        {header}
        <ErrorAlert error={error} title="Could not open the project." />
      </>
    )
  }
  if (models === null) {
    return (
      <>
        {header}
        <Skeleton variant="rounded" height={360} aria-label="Loading models" />
      </>
    )
  }

  return (
    <>
      {header}
      <Stack spacing={4}>
        {models.some((m) => !m.missing) ? (
          <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 320px', gap: 3 }}>
            <Paper variant="outlined" component="section" aria-label="Settings" sx={{ p: 3 }}>
              <form
                noValidate
                onSubmit={(e) => {
                  e.preventDefault()
                  generate()
                }}
              >
                <GenerateFormFields
                  form={form}
                  modelId={modelId}
                  models={models}
                  errors={validation.errors}
                  onChange={edit}
                  onSubmit={generate}
                  canSubmit={canSubmit}
                  busy={busy}
                  promptRef={promptRef}
                >
                  <LoraFields form={lora} errors={loraValidation.errors} onChange={editLora} />
                </GenerateFormFields>
              </form>
              <ErrorAlert error={startError} title="Could not start." sx={{ mt: 2 }} />
              {warnings.length > 0 ? (
                <Alert severity="warning" sx={{ mt: 2 }} aria-label="Generation warnings">
                  {warnings.map((w) => (
                    <div key={w}>{w}</div>
                  ))}
                </Alert>
              ) : null}
            </Paper>
            <GenerationStatus job={job} projectId={projectId} toUrl={toUrl} onCancel={cancel} />
          </Box>
        ) : (
          <EmptyState
            icon={<ModelIcon />}
            title="No model to generate with"
            action={
              <Button variant="contained" onClick={() => navigate({ page: 'project', projectId })}>
                Register a model
              </Button>
            }
          >
            Register a Stable Diffusion model (ONNX) on the project page first; then choose it here
            and write a prompt.
          </EmptyState>
        )}
        <Gallery
          projectId={projectId}
          images={images}
          loadError={imagesError}
          models={models}
          toUrl={toUrl}
          onOpen={setOpen}
        />
      </Stack>
      {open ? (
        <ImageDialog
          image={open}
          src={toUrl(projectId, open.path)}
          modelName={modelNameFor(open, models)}
          onUseSettings={applySettings}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </>
  )
}

const subtitle = (project: Project | null): string =>
  project
    ? `Text to image with the models of “${project.name}”. Images are saved in its images folder.`
    : 'Text to image.'
