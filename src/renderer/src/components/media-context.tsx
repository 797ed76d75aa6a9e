import { createContext, useCallback, useContext } from 'react'
import { useCapabilities } from '../app/use-capabilities'
import { mediaUrl } from './media-url'

const MediaQueryContext = createContext('')

/** Carries App's `mediaQuery` (the bridge token, or '' in Electron) to pages that show images. */
export const MediaQueryProvider = MediaQueryContext.Provider

export type ToMediaUrl = (projectId: string, relPath: string) => string | null

/** Builds URLs of project files; returns null until the shell has said where media is served. */
export function useMediaUrl(): ToMediaUrl {
  const mediaQuery = useContext(MediaQueryContext)
  const { mediaBase } = useCapabilities()
  return useCallback(
    (projectId, relPath) => mediaUrl({ mediaBase, mediaQuery }, projectId, relPath),
    [mediaBase, mediaQuery],
  )
}
