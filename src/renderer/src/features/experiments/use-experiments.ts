import { useCallback, useEffect, useState } from 'react'
import type { Experiment } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'
import { selectJobs } from '../jobs/model'
import { useJobs } from '../jobs/use-jobs'
import { eraseJobsKey } from './table-model'

export interface ExperimentsValue {
  /** Newest first (the host's order); null while the first list loads. */
  readonly experiments: Experiment[] | null
  readonly loadError: unknown
  readonly reload: () => void
}

/** The project's experiments; reloads whenever an erase job of the project changes state. */
export function useExperiments(projectId: string): ExperimentsValue {
  const client = useClient()
  const key = eraseJobsKey(selectJobs(useJobs().state, projectId))
  const [version, setVersion] = useState(0)
  const [value, setValue] = useState<{ experiments: Experiment[] | null; loadError: unknown }>({
    experiments: null,
    loadError: null,
  })
  useEffect(() => {
    let live = true
    client.invoke('experiments.list', { projectId }).then(
      (experiments) => {
        if (live) setValue({ experiments, loadError: null })
      },
      (loadError: unknown) => {
        if (live) setValue((v) => ({ experiments: v.experiments, loadError }))
      },
    )
    return () => {
      live = false
    }
  }, [client, projectId, key, version])
  const reload = useCallback(() => setVersion((v) => v + 1), [])
  return { ...value, reload }
}
