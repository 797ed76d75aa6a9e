import AddIcon from '@mui/icons-material/Add'
import FolderIcon from '@mui/icons-material/CreateNewFolderOutlined'
import Button from '@mui/material/Button'
import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import { useState } from 'react'
import type { Project } from '../../../../shared/contract'
import { useRouter } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { ErrorAlert } from '../../components/error-alert'
import { PageHeader } from '../../components/page-header'
import { CreateProjectDialog } from './create-project-dialog'
import { DeleteProjectDialog } from './delete-project-dialog'
import { ProjectTable } from './project-table'
import { RenameProjectDialog } from './rename-project-dialog'
import { useProjects } from './use-projects'

type DialogState =
  | { readonly kind: 'create' }
  | { readonly kind: 'rename'; readonly project: Project }
  | { readonly kind: 'delete'; readonly project: Project }
  | null

export function ProjectsPage(): React.JSX.Element {
  const { projects, loadError, reload, create, rename, remove } = useProjects()
  const { navigate } = useRouter()
  const [dialog, setDialog] = useState<DialogState>(null)
  const close = (): void => setDialog(null)
  const newButton = (
    <Button
      variant="contained"
      startIcon={<AddIcon />}
      onClick={() => setDialog({ kind: 'create' })}
    >
      New project
    </Button>
  )

  return (
    <>
      <PageHeader
        title="Projects"
        subtitle="Each project keeps its models, experiments and images in its own folder."
        actions={projects && projects.length > 0 ? newButton : undefined}
      />
      {loadError ? (
        <Stack spacing={2} sx={{ alignItems: 'flex-start' }}>
          <ErrorAlert
            error={loadError}
            title="Could not load the projects."
            sx={{ alignSelf: 'stretch' }}
          />
          <Button onClick={() => void reload()}>Try again</Button>
        </Stack>
      ) : projects === null ? (
        <Skeleton variant="rounded" height={160} aria-label="Loading projects" />
      ) : projects.length === 0 ? (
        <EmptyState icon={<FolderIcon />} title="No projects yet" action={newButton}>
          Create a project to get started. You choose its name and where its folder goes; models,
          experiments and images you add later are kept there.
        </EmptyState>
      ) : (
        <ProjectTable
          projects={projects}
          onOpen={(p) => navigate({ page: 'project', projectId: p.id })}
          onRename={(project) => setDialog({ kind: 'rename', project })}
          onDelete={(project) => setDialog({ kind: 'delete', project })}
        />
      )}
      {dialog?.kind === 'create' ? <CreateProjectDialog onCreate={create} onClose={close} /> : null}
      {dialog?.kind === 'rename' ? (
        <RenameProjectDialog project={dialog.project} onRename={rename} onClose={close} />
      ) : null}
      {dialog?.kind === 'delete' ? (
        <DeleteProjectDialog project={dialog.project} onDelete={remove} onClose={close} />
      ) : null}
    </>
  )
}
