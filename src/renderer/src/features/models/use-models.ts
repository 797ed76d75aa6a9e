import { useCallback, useEffect, useState } from 'react'
import type { Model } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'
import { selectJobs } from '../jobs/model'
import { useJobs } from '../jobs/use-jobs'
import { registeredKey } from './model'

export interface ModelsValue {
  /** The host's order; null while the first list loads. */
  readonly models: Model[] | null
  readonly loadError: unknown
  readonly reload: () => void
  /** Forgets the model (its files stay on disk); rejects with the host's error. */
  readonly remove: (modelId: string) => Promise<void>
}

/**
 * The project's registered models. Reloads by itself when a register-model job of the project
 * succeeds (the jobs store sees every job, whoever started it).
 */
export function useModels(projectId: string): ModelsValue {
  const client = useClient()
  const key = registeredKey(selectJobs(useJobs().state, projectId))
  const [version, setVersion] = useState(0)
  const [result, setResult] = useState<{ models: Model[] | null; loadError: unknown }>({
    models: null,
    loadError: null,
  })

  useEffect(() => {
    let live = true
    client.invoke('models.list', { projectId }).then(
      (models) => {
        if (live) setResult({ models, loadError: null })
      },
      (loadError: unknown) => {
        if (live) setResult((r) => ({ models: r.models, loadError }))
      },
    )
    return () => {
      live = false
    }
  }, [client, projectId, key, version])

  const reload = useCallback(() => setVersion((v) => v + 1), [])
  const remove = useCallback(
    async (modelId: string) => {
      await client.invoke('models.remove', { projectId, modelId })
      setVersion((v) => v + 1)
    },
    [client, projectId],
  )
  return { models: result.models, loadError: result.loadError, reload, remove }
}
