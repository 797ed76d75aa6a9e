import { useCallback, useState } from 'react'
import type { Settings } from '../../../../shared/contract'
import { useSettings } from './use-settings'

export interface SaveState {
  readonly saving: boolean
  readonly error: unknown
  readonly saved: boolean
  readonly save: (patch: Partial<Settings>) => Promise<boolean>
  readonly reset: () => void
}

/** Saving one group of settings: whether it is in flight, its error, and whether it worked. */
export function useSaveSetting(): SaveState {
  const { update } = useSettings()
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const save = useCallback(
    async (patch: Partial<Settings>) => {
      setSaving(true)
      setError(null)
      setSaved(false)
      try {
        await update(patch)
        setSaved(true)
        return true
      } catch (err) {
        setError(err)
        return false
      } finally {
        setSaving(false)
      }
    },
    [update],
  )
  const reset = useCallback(() => {
    setError(null)
    setSaved(false)
  }, [])
  return { saving, error, saved, save, reset }
}
