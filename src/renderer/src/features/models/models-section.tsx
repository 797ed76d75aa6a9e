import AddIcon from '@mui/icons-material/Add'
import ModelIcon from '@mui/icons-material/ViewInArOutlined'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useCallback, useState } from 'react'
import type { Model, Project } from '../../../../shared/contract'
import { useRouter } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { ErrorAlert } from '../../components/error-alert'
import { ModelCard } from './model-card'
import { RegisterModelDialog } from './register-model-dialog'
import { RemoveModelDialog } from './remove-model-dialog'
import { useModels } from './use-models'

type DialogState = { readonly kind: 'register' } | { readonly kind: 'remove'; model: Model } | null

/** The project's models: registered folders as cards, with register, generate and remove. */
export function ModelsSection(props: { project: Project }): React.JSX.Element {
  const { project } = props
  const { models, loadError, reload, remove } = useModels(project.id)
  const { navigate } = useRouter()
  const [dialog, setDialog] = useState<DialogState>(null)
  const close = useCallback(() => setDialog(null), [])
  const registerButton = (
    <Button
      variant="outlined"
      startIcon={<AddIcon />}
      onClick={() => setDialog({ kind: 'register' })}
    >
      Register model
    </Button>
  )
  const generate = (model: Model): void =>
    navigate({ page: 'generate', projectId: project.id, modelId: model.id })

  return (
    <Box component="section" aria-labelledby="models-title">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-end', mb: 1.5 }}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="h2" id="models-title">
            Models
          </Typography>
          <Typography variant="body2" color="text.secondary">
            Stable Diffusion folders in ONNX format that this project uses. They stay where they are
            on disk.
          </Typography>
        </Box>
        {models && models.length > 0 ? registerButton : null}
      </Stack>
      {loadError ? (
        <Stack spacing={2} sx={{ alignItems: 'flex-start' }}>
          <ErrorAlert
            error={loadError}
            title="Could not load the models."
            sx={{ alignSelf: 'stretch' }}
          />
          <Button onClick={reload}>Try again</Button>
        </Stack>
      ) : models === null ? (
        <Skeleton variant="rounded" height={120} aria-label="Loading models" />
      ) : models.length === 0 ? (
        <EmptyState icon={<ModelIcon />} title="No models yet" action={registerButton}>
          Register a Stable Diffusion model exported to ONNX (a folder with model_index.json, unet/
          and text_encoder/). Then generate images with it here.
        </EmptyState>
      ) : (
        <Box
          sx={{
            display: 'grid',
            gap: 2,
            gridTemplateColumns: 'repeat(auto-fill, minmax(340px, 1fr))',
          }}
        >
          {models.map((m) => (
            <ModelCard
              key={m.id}
              model={m}
              onGenerate={generate}
              onRemove={(model) => setDialog({ kind: 'remove', model })}
            />
          ))}
        </Box>
      )}
      {dialog?.kind === 'register' ? (
        <RegisterModelDialog projectId={project.id} onRegistered={close} onClose={close} />
      ) : null}
      {dialog?.kind === 'remove' ? (
        <RemoveModelDialog model={dialog.model} onRemove={remove} onClose={close} />
      ) : null}
    </Box>
  )
}
