import { useEffect, useState } from 'react'
import type { Experiment } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'

/** The experiment a new one copies its settings from; `ready` once it loaded (or none asked). */
export function useDuplicateSource(
  projectId: string,
  experimentId: string | undefined,
): { source: Experiment | null; ready: boolean; loadError: unknown } {
  const client = useClient()
  const [value, setValue] = useState<{
    source: Experiment | null
    done: boolean
    loadError: unknown
  }>({ source: null, done: false, loadError: null })
  useEffect(() => {
    if (experimentId === undefined) return
    let live = true
    client.invoke('experiments.get', { projectId, experimentId }).then(
      ({ experiment }) => {
        if (live) setValue({ source: experiment, done: true, loadError: null })
      },
      (loadError: unknown) => {
        if (live) setValue({ source: null, done: true, loadError })
      },
    )
    return () => {
      live = false
    }
  }, [client, projectId, experimentId])
  if (experimentId === undefined) return { source: null, ready: true, loadError: null }
  return { source: value.source, ready: value.done, loadError: value.loadError }
}
