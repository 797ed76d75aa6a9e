import { useCallback, useEffect, useState } from 'react'
import type { CreateProject, Project } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'

export interface ProjectsValue {
  /** Most recently used first (the host's order); null while the first list loads. */
  readonly projects: Project[] | null
  readonly loadError: unknown
  readonly reload: () => Promise<void>
  /** Each mutation rejects with the host's error and reloads the list when it succeeds. */
  readonly create: (input: CreateProject) => Promise<Project>
  readonly rename: (id: string, name: string) => Promise<Project>
  readonly remove: (id: string, deleteFiles: boolean) => Promise<void>
}

export function useProjects(): ProjectsValue {
  const client = useClient()
  const [projects, setProjects] = useState<Project[] | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)

  const reload = useCallback(async () => {
    try {
      setProjects(await client.invoke('projects.list', {}))
      setLoadError(null)
    } catch (err) {
      setLoadError(err)
    }
  }, [client])

  useEffect(() => {
    let live = true
    client.invoke('projects.list', {}).then(
      (list) => {
        if (live) setProjects(list)
      },
      (err: unknown) => {
        if (live) setLoadError(err)
      },
    )
    return () => {
      live = false
    }
  }, [client])

  const create = useCallback(
    async (input: CreateProject) => {
      const project = await client.invoke('projects.create', input)
      await reload()
      return project
    },
    [client, reload],
  )
  const rename = useCallback(
    async (id: string, name: string) => {
      const project = await client.invoke('projects.rename', { id, name })
      await reload()
      return project
    },
    [client, reload],
  )
  const remove = useCallback(
    async (id: string, deleteFiles: boolean) => {
      await client.invoke('projects.delete', { id, deleteFiles })
      await reload()
    },
    [client, reload],
  )

  return { projects, loadError, reload, create, rename, remove }
}
