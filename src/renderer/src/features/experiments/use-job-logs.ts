import { useEffect, useState } from 'react'
import { useClient } from '../../app/client-context'

export interface LogLine {
  readonly seq: number
  readonly at: number
  readonly level: 'info' | 'warn'
  readonly message: string
}

/**
 * The log lines a job sends while this page is open. The host does not keep them, so a
 * reloaded window shows only what arrives after it reattached.
 */
export function useJobLogs(jobId: string | null): readonly LogLine[] {
  const client = useClient()
  const [logs, setLogs] = useState<{ jobId: string | null; lines: readonly LogLine[] }>({
    jobId,
    lines: [],
  })
  useEffect(() => {
    if (jobId === null) return
    return client.subscribe('job', (event) => {
      if (event.jobId !== jobId || event.type !== 'log') return
      const line: LogLine = {
        seq: event.seq,
        at: event.at,
        level: event.level,
        message: event.message,
      }
      setLogs((l) => ({
        jobId,
        lines: l.jobId === jobId ? [...l.lines, line] : [line],
      }))
    })
  }, [client, jobId])
  return logs.jobId === jobId ? logs.lines : []
}
