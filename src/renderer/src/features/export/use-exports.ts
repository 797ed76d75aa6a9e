import { useCallback, useEffect, useState } from 'react'
import type { ExportRecord } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'

/** Earlier exports of one experiment, newest first. */
export function useExports(
  projectId: string,
  experimentId: string,
): { exports: ExportRecord[] | null; loadError: unknown; reload: () => void } {
  const client = useClient()
  const [version, setVersion] = useState(0)
  const [value, setValue] = useState<{ exports: ExportRecord[] | null; loadError: unknown }>({
    exports: null,
    loadError: null,
  })
  useEffect(() => {
    let live = true
    client.invoke('exports.list', { projectId, experimentId }).then(
      (list) => {
        if (live)
          setValue({
            exports: [...list].sort((a, b) => b.createdAt - a.createdAt),
            loadError: null,
          })
      },
      (loadError: unknown) => {
        if (live) setValue((v) => ({ exports: v.exports, loadError }))
      },
    )
    return () => {
      live = false
    }
  }, [client, projectId, experimentId, version])
  const reload = useCallback(() => setVersion((v) => v + 1), [])
  return { ...value, reload }
}
