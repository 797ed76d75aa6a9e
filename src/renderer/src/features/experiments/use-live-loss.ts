import { useEffect, useRef } from 'react'
import type { JobSnapshot } from '../../../../shared/contract'
import { liveTrainingStep, refetchDelay } from './loss-model'

/**
 * While the experiment's job trains its LoRA, calls `reload` as training steps arrive (the
 * job's progress events, through the jobs store), at most once a second: the loss curve grows
 * as the host writes it.
 */
export function useLiveLoss(job: JobSnapshot | null, reload: () => void): void {
  const step = liveTrainingStep(job)
  const lastAt = useRef<number | null>(null)
  useEffect(() => {
    if (step === null) return
    const delay = refetchDelay(lastAt.current, Date.now())
    const fire = (): void => {
      lastAt.current = Date.now()
      reload()
    }
    if (delay === 0) {
      fire()
      return
    }
    const timer = setTimeout(fire, delay)
    return () => clearTimeout(timer)
  }, [step, reload])
}
