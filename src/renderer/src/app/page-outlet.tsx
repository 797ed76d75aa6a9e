import { ComparePage } from '../features/compare/compare-page'
import { ExperimentPage } from '../features/experiments/experiment-page'
import { NewExperimentPage } from '../features/experiments/new-experiment-page'
import { GeneratePage } from '../features/generate/generate-page'
import { ProjectPage } from '../features/projects/project-page'
import { ProjectsPage } from '../features/projects/projects-page'
import { SettingsPage } from '../features/settings/settings-page'
import { useRouter } from './router'

/** Maps the current route to its page; exhaustive, so a new route needs a case here. */
export function PageOutlet(): React.JSX.Element {
  const { route } = useRouter()
  switch (route.page) {
    case 'projects':
      return <ProjectsPage />
    case 'project':
      return <ProjectPage key={route.projectId} projectId={route.projectId} />
    case 'generate':
      return (
        <GeneratePage
          key={`${route.projectId}/${route.modelId ?? ''}`}
          projectId={route.projectId}
          initialModelId={route.modelId}
        />
      )
    case 'new-experiment':
      return (
        <NewExperimentPage
          key={`${route.projectId}/${route.duplicateOf ?? ''}`}
          projectId={route.projectId}
          duplicateOf={route.duplicateOf}
        />
      )
    case 'experiment':
      return (
        <ExperimentPage
          key={`${route.projectId}/${route.experimentId ?? ''}/${route.jobId ?? ''}`}
          projectId={route.projectId}
          experimentId={route.experimentId}
          jobId={route.jobId}
        />
      )
    case 'compare':
      return (
        <ComparePage
          key={route.projectId}
          projectId={route.projectId}
          experimentIds={route.experimentIds}
        />
      )
    case 'settings':
      return <SettingsPage />
  }
}
