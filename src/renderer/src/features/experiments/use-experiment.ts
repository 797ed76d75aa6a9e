import { useCallback, useEffect, useState } from 'react'
import type { CommandOutput, JobSnapshot } from '../../../../shared/contract'
import type { StudioClient } from '../../api/client'
import { useClient } from '../../app/client-context'
import { selectJobs } from '../jobs/model'
import { useJobs } from '../jobs/use-jobs'
import { runRefreshKey } from './stages-model'
import { eraseJobsKey } from './table-model'

export type ExperimentData = CommandOutput<'experiments.get'>

/** Which experiment: by id, or by the erase job that runs it (right after Start). */
export interface ExperimentRef {
  readonly experimentId?: string
  readonly jobId?: string
}

async function load(
  client: StudioClient,
  projectId: string,
  ref: ExperimentRef,
): Promise<ExperimentData | null> {
  let id = ref.experimentId
  if (id === undefined) {
    // The host creates the row when the job starts running; until then there is none.
    const list = await client.invoke('experiments.list', { projectId })
    id = list.find((e) => e.jobId !== null && e.jobId === ref.jobId)?.id
    if (id === undefined) return null
  }
  return client.invoke('experiments.get', { projectId, experimentId: id })
}

export interface ExperimentValue {
  /** Null while loading, or while a queued job has no experiment yet. */
  readonly data: ExperimentData | null
  /** The erase job, live from the jobs store (null for runs it does not know, e.g. the CLI's). */
  readonly job: JobSnapshot | null
  /** True until the first answer. */
  readonly loading: boolean
  readonly loadError: unknown
  readonly reload: () => void
}

/**
 * One experiment, its gallery and its job. The jobs store reattaches to a running job (its
 * snapshot, then its events), and every change of the job's state, stage or gallery step
 * reloads the stored experiment, so results and images appear as they land.
 */
export function useExperiment(projectId: string, ref: ExperimentRef): ExperimentValue {
  const client = useClient()
  const jobsState = useJobs().state
  const jobs = jobsState.jobs
  const { experimentId } = ref
  const [version, setVersion] = useState(0)
  const [value, setValue] = useState<{
    data: ExperimentData | null
    loading: boolean
    loadError: unknown
  }>({ data: null, loading: true, loadError: null })
  const jobId = ref.jobId ?? value.data?.experiment.jobId ?? null
  const job = jobId === null ? null : (jobs[jobId] ?? null)
  // Any erase job of the project starting or ending (a resumed run gets a new job) reloads too.
  const refreshKey = `${runRefreshKey(job)}/${eraseJobsKey(selectJobs(jobsState, projectId))}`
  const target = experimentId ?? value.data?.experiment.id
  const byJob = target === undefined ? (ref.jobId ?? null) : null

  useEffect(() => {
    let live = true
    const which: ExperimentRef =
      target !== undefined ? { experimentId: target } : { jobId: byJob ?? undefined }
    load(client, projectId, which).then(
      (data) => {
        if (live) setValue((v) => ({ data: data ?? v.data, loading: false, loadError: null }))
      },
      (loadError: unknown) => {
        if (live) setValue((v) => ({ data: v.data, loading: false, loadError }))
      },
    )
    return () => {
      live = false
    }
  }, [client, projectId, target, byJob, refreshKey, version])
  const reload = useCallback(() => setVersion((v) => v + 1), [])
  return { ...value, job, reload }
}
