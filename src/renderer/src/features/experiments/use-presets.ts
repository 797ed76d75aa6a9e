import { useEffect, useState } from 'react'
import type { Preset } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'

/** The shipped presets (artist, celebrity, object, explicit); null while they load. */
export function usePresets(): { presets: Preset[] | null; loadError: unknown } {
  const client = useClient()
  const [value, setValue] = useState<{ presets: Preset[] | null; loadError: unknown }>({
    presets: null,
    loadError: null,
  })
  useEffect(() => {
    let live = true
    client.invoke('presets.list', {}).then(
      (presets) => {
        if (live) setValue({ presets, loadError: null })
      },
      (loadError: unknown) => {
        if (live) setValue({ presets: null, loadError })
      },
    )
    return () => {
      live = false
    }
  }, [client])
  return value
}
