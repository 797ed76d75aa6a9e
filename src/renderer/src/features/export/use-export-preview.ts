import { useEffect, useState } from 'react'
import type { ExportOptions, ExportPreview } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'
import { useDebouncedValue } from '../../components/use-debounced-value'

const DEBOUNCE_MS = 300

export interface PreviewValue {
  /** The latest answer, kept while a newer one loads (for the options it was made with). */
  readonly preview: ExportPreview | null
  readonly previewFor: ExportOptions | null
  readonly loading: boolean
  readonly error: unknown
}

/**
 * The per-layer error the chosen options would give, asked again (debounced) whenever they
 * change; an answer to options no longer chosen is dropped.
 */
export function useExportPreview(
  projectId: string,
  experimentId: string,
  options: ExportOptions | null,
): PreviewValue {
  const client = useClient()
  const key = options ? JSON.stringify(options) : null
  const settled = useDebouncedValue(key, DEBOUNCE_MS)
  const [value, setValue] = useState<{
    key: string | null
    preview: ExportPreview | null
    previewFor: ExportOptions | null
    error: unknown
  }>({ key: null, preview: null, previewFor: null, error: null })
  useEffect(() => {
    if (settled === null) return
    let live = true
    const asked = JSON.parse(settled) as ExportOptions
    client.invoke('exports.preview', { projectId, experimentId, options: asked }).then(
      (preview) => {
        if (live) setValue({ key: settled, preview, previewFor: asked, error: null })
      },
      (error: unknown) => {
        if (live) setValue((v) => ({ ...v, key: settled, error }))
      },
    )
    return () => {
      live = false
    }
  }, [client, projectId, experimentId, settled])
  return {
    preview: value.preview,
    previewFor: value.previewFor,
    loading: key !== null && value.key !== key,
    error: value.key === key ? value.error : null,
  }
}
