import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import type { Settings } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'

interface SettingsValue {
  /** Null until the host answers. */
  readonly settings: Settings | null
  readonly loadError: unknown
  /** Saves a change; resolves with the stored settings, rejects with the host's error. */
  readonly update: (patch: Partial<Settings>) => Promise<Settings>
}

const SettingsContext = createContext<SettingsValue | null>(null)

/** Loads the settings once and keeps them for the whole app (the theme depends on them). */
export function SettingsProvider(props: { children: ReactNode }): React.JSX.Element {
  const client = useClient()
  const [settings, setSettings] = useState<Settings | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)

  useEffect(() => {
    let live = true
    client.invoke('settings.get', {}).then(
      (s) => {
        if (live) setSettings(s)
      },
      (err: unknown) => {
        if (live) setLoadError(err)
      },
    )
    return () => {
      live = false
    }
  }, [client])

  const update = useCallback(
    async (patch: Partial<Settings>) => {
      const next = await client.invoke('settings.set', patch)
      setSettings(next)
      return next
    },
    [client],
  )

  const value = useMemo(() => ({ settings, loadError, update }), [settings, loadError, update])
  return <SettingsContext.Provider value={value}>{props.children}</SettingsContext.Provider>
}

export function useSettings(): SettingsValue {
  const value = useContext(SettingsContext)
  if (!value) throw new Error('useSettings must be used inside <SettingsProvider>.')
  return value
}
