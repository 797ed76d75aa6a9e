import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { Experiment, JobSnapshot, StartEvaluate } from '../../../../shared/contract'
import { isTerminal } from '../../../../shared/contract'
import { selectJobs } from '../jobs/model'
import { useJobs } from '../jobs/use-jobs'
import { evaluateJobOf } from './metrics-model'

export interface EvaluationValue {
  /** The newest evaluate job of this experiment, live (null: none this session knows of). */
  readonly job: JobSnapshot | null
  readonly start: (input: StartEvaluate) => Promise<void>
  readonly cancel: () => Promise<void>
  readonly startError: unknown
  readonly cancelError: unknown
}

/**
 * The experiment's evaluate job: start, cancel, and `onFinished` once a job this window saw
 * running succeeds (the page then reloads the experiment, whose metrics the host has stored).
 */
export function useEvaluation(
  projectId: string,
  exp: Experiment,
  onFinished: () => void,
): EvaluationValue {
  const { state, start: startJob, cancel: cancelJob } = useJobs()
  const [startError, setStartError] = useState<unknown>(null)
  const [cancelError, setCancelError] = useState<unknown>(null)
  const job = useMemo(
    () => evaluateJobOf(selectJobs(state, projectId), projectId, exp.number),
    [state, projectId, exp.number],
  )
  const seenRunning = useRef<string | null>(null)
  const jobId = job?.id ?? null
  const jobState = job?.state ?? null
  useEffect(() => {
    if (jobId === null || jobState === null) return
    if (!isTerminal(jobState)) seenRunning.current = jobId
    else if (seenRunning.current === jobId) {
      seenRunning.current = null
      if (jobState === 'succeeded') onFinished()
    }
  }, [jobId, jobState, onFinished])

  const start = useCallback(
    async (input: StartEvaluate) => {
      setStartError(null)
      setCancelError(null)
      try {
        const started = await startJob(input)
        seenRunning.current = started.id
      } catch (err) {
        setStartError(err)
      }
    },
    [startJob],
  )
  const cancel = useCallback(async () => {
    if (jobId === null) return
    setCancelError(null)
    try {
      await cancelJob(jobId)
    } catch (err) {
      setCancelError(err)
    }
  }, [cancelJob, jobId])
  return { job, start, cancel, startError, cancelError }
}
