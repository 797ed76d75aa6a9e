import { useCallback, useEffect, useMemo, useState } from 'react'
import type { EmbeddingMap, Experiment, JobSnapshot } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'
import { selectJobs } from '../jobs/model'
import { useJobs } from '../jobs/use-jobs'
import { umapJobOf } from './map-model'

export interface EmbeddingMapValue {
  /** Null until the first answer. */
  readonly map: EmbeddingMap | null
  readonly loadError: unknown
  /** The newest UMAP job of this experiment, live (null: none this session knows of). */
  readonly umapJob: JobSnapshot | null
  readonly startUmap: () => Promise<void>
  readonly cancelUmap: () => Promise<void>
  readonly startError: unknown
}

/**
 * The experiment's map from the host. It reloads when the experiment's points change (stage 1
 * finishing, a resumed run) and when a UMAP job of this experiment succeeds, whose layout the
 * host has then cached.
 */
export function useEmbeddingMap(projectId: string, experiment: Experiment): EmbeddingMapValue {
  const client = useClient()
  const { state, start, cancel } = useJobs()
  const [value, setValue] = useState<{ map: EmbeddingMap | null; loadError: unknown }>({
    map: null,
    loadError: null,
  })
  const [startError, setStartError] = useState<unknown>(null)
  const umapJob = useMemo(
    () => umapJobOf(selectJobs(state, projectId), projectId, experiment.number),
    [state, projectId, experiment.number],
  )
  const pointsKey = `${experiment.id}/${JSON.stringify(experiment.pointCounts)}/${experiment.finishedAt ?? ''}`
  const umapKey = umapJob?.state === 'succeeded' ? umapJob.id : ''

  useEffect(() => {
    let live = true
    client.invoke('experiments.map', { projectId, experimentId: experiment.id }).then(
      (map) => {
        if (live) setValue({ map, loadError: null })
      },
      (loadError: unknown) => {
        if (live) setValue((v) => ({ map: v.map, loadError }))
      },
    )
    return () => {
      live = false
    }
  }, [client, projectId, experiment.id, pointsKey, umapKey])

  const startUmap = useCallback(async () => {
    setStartError(null)
    try {
      await start({ kind: 'umap', projectId, experimentId: experiment.id })
    } catch (err) {
      setStartError(err)
    }
  }, [start, projectId, experiment.id])
  const jobId = umapJob?.id ?? null
  const cancelUmap = useCallback(async () => {
    if (jobId !== null) await cancel(jobId)
  }, [cancel, jobId])

  return { ...value, umapJob, startUmap, cancelUmap, startError }
}
