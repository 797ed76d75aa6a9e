/** Where the shell serves project files, and the query its URLs need (the bridge token). */
export interface MediaLocation {
  /** From `shell.capabilities`: `media://` in Electron, `http://127.0.0.1:PORT/media` in a browser. */
  readonly mediaBase: string
  /** `?token=…` in a browser, '' in Electron. */
  readonly mediaQuery: string
}

/**
 * The URL of a file inside a project folder. Images travel by URL, never as base64: Electron
 * serves `media://<projectId>/<path>`, the bridge `<mediaBase>/<projectId>/<path>?token=…`.
 * `relPath` is relative to the project folder (`images/<id>.png`); each segment is encoded.
 * Null while the media base is not known yet.
 */
export function mediaUrl(loc: MediaLocation, projectId: string, relPath: string): string | null {
  if (loc.mediaBase === '') return null
  const rel = relPath
    .split(/[\\/]+/)
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/')
  const id = encodeURIComponent(projectId)
  const base = loc.mediaBase.endsWith('://')
    ? loc.mediaBase
    : `${loc.mediaBase.replace(/\/+$/, '')}/`
  return `${base}${id}/${rel}${loc.mediaQuery}`
}
