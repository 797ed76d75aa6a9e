import { useEffect, useState } from 'react'
import type { Project } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'

/** Opens a project (the host checks its folder and records the visit). */
export function useProject(projectId: string): { project: Project | null; error: unknown } {
  const client = useClient()
  const [result, setResult] = useState<{ id: string; project: Project | null; error: unknown }>({
    id: projectId,
    project: null,
    error: null,
  })
  useEffect(() => {
    let live = true
    client.invoke('projects.open', { id: projectId }).then(
      (project) => {
        if (live) setResult({ id: projectId, project, error: null })
      },
      (error: unknown) => {
        if (live) setResult({ id: projectId, project: null, error })
      },
    )
    return () => {
      live = false
    }
  }, [client, projectId])
  return result.id === projectId ? result : { project: null, error: null }
}
