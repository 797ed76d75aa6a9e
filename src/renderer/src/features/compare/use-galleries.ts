import { useEffect, useState } from 'react'
import type { GalleryImage } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'

export interface GalleriesValue {
  /** One list per experiment id asked for, in order; null while loading. */
  readonly galleries: (readonly GalleryImage[])[] | null
  readonly loadError: unknown
}

/**
 * The gallery images of the given experiments (by `experiments.get`); a new `refreshKey` (the
 * experiments' status, say) loads them again.
 */
export function useGalleries(
  projectId: string,
  experimentIds: readonly string[],
  refreshKey = '',
): GalleriesValue {
  const client = useClient()
  const key = experimentIds.join(',')
  const [value, setValue] = useState<GalleriesValue & { key: string | null }>({
    galleries: null,
    loadError: null,
    key: null,
  })
  useEffect(() => {
    let live = true
    const ids = key === '' ? [] : key.split(',')
    Promise.all(
      ids.map((experimentId) => client.invoke('experiments.get', { projectId, experimentId })),
    ).then(
      (answers) => {
        if (live) setValue({ galleries: answers.map((a) => a.gallery), loadError: null, key })
      },
      (loadError: unknown) => {
        if (live) setValue({ galleries: null, loadError, key })
      },
    )
    return () => {
      live = false
    }
  }, [client, projectId, key, refreshKey])
  // A new pair of experiments shows "loading" rather than the previous pair's images.
  return value.key === key ? value : { galleries: null, loadError: null }
}
