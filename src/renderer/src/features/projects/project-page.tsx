import ArrowBackIcon from '@mui/icons-material/ArrowBack'
import GenerateIcon from '@mui/icons-material/AutoAwesomeOutlined'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { Project } from '../../../../shared/contract'
import { useRouter } from '../../app/router'
import { useShortcut } from '../../app/use-shortcuts'
import { ErrorAlert } from '../../components/error-alert'
import { FolderPath } from '../../components/folder-path'
import { formatDateTime } from '../../components/format'
import { PageHeader } from '../../components/page-header'
import { ShowInFolderButton } from '../../components/show-in-folder-button'
import { ExperimentsSection } from '../experiments/experiments-section'
import { ModelsSection } from '../models/models-section'
import { useProject } from './use-project'
import { VerifyCard } from './verify-card'

function Details(props: { project: Project }): React.JSX.Element {
  const { project } = props
  return (
    <Paper variant="outlined" sx={{ p: 3 }}>
      <Box
        component="dl"
        sx={{ display: 'grid', gridTemplateColumns: '120px minmax(0, 1fr)', rowGap: 1.25, m: 0 }}
      >
        <Typography component="dt" variant="body2" color="text.secondary">
          Folder
        </Typography>
        <Box
          component="dd"
          sx={{ m: 0, minWidth: 0, display: 'flex', alignItems: 'center', gap: 1 }}
        >
          <FolderPath path={project.dir} color="text.primary" />
          <ShowInFolderButton
            projectId={project.id}
            target={{ kind: 'project' }}
            label="Open folder"
          />
        </Box>
        <Typography component="dt" variant="body2" color="text.secondary">
          Created
        </Typography>
        <Typography component="dd" variant="body2" sx={{ m: 0 }}>
          {formatDateTime(project.createdAt)}
        </Typography>
      </Box>
    </Paper>
  )
}

export function ProjectPage(props: { projectId: string }): React.JSX.Element {
  const { project, error } = useProject(props.projectId)
  const { navigate } = useRouter()
  const id = project?.id ?? null
  useShortcut('generate', id ? () => navigate({ page: 'generate', projectId: id }) : null)
  useShortcut(
    'new-experiment',
    id ? () => navigate({ page: 'new-experiment', projectId: id }) : null,
  )
  const back = (
    <Button
      size="small"
      startIcon={<ArrowBackIcon />}
      onClick={() => navigate({ page: 'projects' })}
      sx={{ mb: 1, ml: -1 }}
    >
      Projects
    </Button>
  )
  if (error) {
    return (
      <>
        <PageHeader title="Project" before={back} />
        <ErrorAlert error={error} title="Could not open the project." />
      </>
    )
  }
  if (!project) {
    return (
      <>
        <PageHeader title="Project" before={back} />
        <Skeleton variant="rounded" height={120} aria-label="Loading project" />
      </>
    )
  }
  return (
    <>
      <PageHeader
        title={project.name}
        before={back}
        actions={
          <Button
            variant="contained"
            startIcon={<GenerateIcon />}
            aria-keyshortcuts="G"
            onClick={() => navigate({ page: 'generate', projectId: project.id })}
          >
            Generate images
          </Button>
        }
      />
      <Stack spacing={3}>
        <Details project={project} />
        <ModelsSection project={project} />
        <ExperimentsSection project={project} />
        <VerifyCard project={project} />
      </Stack>
    </>
  )
}
