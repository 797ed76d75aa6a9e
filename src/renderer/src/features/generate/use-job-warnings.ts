import { useEffect, useState } from 'react'
import { useClient } from '../../app/client-context'

/**
 * Warnings the host logs for jobs while this page is open (e.g. LoRA keys that match no layer),
 * by job id. Every job's events are heard from the start, so a warning sent before `jobs.start`
 * answered is kept too. The host does not store log lines.
 */
export function useJobWarnings(): Readonly<Record<string, readonly string[]>> {
  const client = useClient()
  const [warnings, setWarnings] = useState<Readonly<Record<string, readonly string[]>>>({})
  useEffect(
    () =>
      client.subscribe('job', (event) => {
        if (event.type !== 'log' || event.level !== 'warn') return
        setWarnings((w) => ({ ...w, [event.jobId]: [...(w[event.jobId] ?? []), event.message] }))
      }),
    [client],
  )
  return warnings
}
