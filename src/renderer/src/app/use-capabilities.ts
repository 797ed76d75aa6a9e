import { useEffect, useState } from 'react'
import type { CommandOutput } from '../../../shared/contract'
import { useClient } from './client-context'

export type Capabilities = CommandOutput<'shell.capabilities'>

const fallback: Capabilities = { nativeDialogs: false, mediaBase: '' }

/** What the shell offers (native folder dialogs in Electron; none in a browser). */
export function useCapabilities(): Capabilities {
  const client = useClient()
  const [caps, setCaps] = useState<Capabilities>(fallback)
  useEffect(() => {
    let live = true
    client.invoke('shell.capabilities', {}).then(
      (c) => {
        if (live) setCaps(c)
      },
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [client])
  return caps
}
