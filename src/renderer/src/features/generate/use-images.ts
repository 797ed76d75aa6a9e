import { useEffect, useState } from 'react'
import type { ImageInfo } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'
import { selectJobs } from '../jobs/model'
import { useJobs } from '../jobs/use-jobs'
import { generatedKey } from './model'

const LIMIT = 200

export interface ImagesValue {
  /** Newest first; null while the first list loads. */
  readonly images: ImageInfo[] | null
  readonly loadError: unknown
}

/** The project's images; reloads whenever a generate job of the project succeeds. */
export function useImages(projectId: string): ImagesValue {
  const client = useClient()
  const key = generatedKey(selectJobs(useJobs().state, projectId))
  const [value, setValue] = useState<ImagesValue>({ images: null, loadError: null })
  useEffect(() => {
    let live = true
    client.invoke('images.list', { projectId, limit: LIMIT }).then(
      (images) => {
        if (live) setValue({ images, loadError: null })
      },
      (loadError: unknown) => {
        if (live) setValue((v) => ({ images: v.images, loadError }))
      },
    )
    return () => {
      live = false
    }
  }, [client, projectId, key])
  return value
}
