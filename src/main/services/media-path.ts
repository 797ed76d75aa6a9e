import path from 'node:path'

const MEDIA_EXT = new Set(['.png', '.jpg', '.jpeg', '.webp', '.svg', '.json'])

/**
 * Resolves a media request to a file inside a project folder, or null. Used by Electron's
 * media:// protocol and the bridge's /media route alike: decoded `..` segments, absolute paths,
 * NUL bytes and files outside the folder are all refused, as are non-media extensions.
 */
export function resolveMediaPath(projectDir: string, relPath: string): string | null {
  let rel: string
  try {
    rel = decodeURIComponent(relPath)
  } catch {
    return null
  }
  if (rel.includes('\0') || path.isAbsolute(rel) || /^[a-zA-Z]:/.test(rel)) return null
  const root = path.resolve(projectDir)
  const full = path.resolve(root, rel)
  if (full !== root && !full.startsWith(root + path.sep)) return null
  if (!MEDIA_EXT.has(path.extname(full).toLowerCase())) return null
  return full
}

export const mediaContentType = (file: string): string => {
  switch (path.extname(file).toLowerCase()) {
    case '.png':
      return 'image/png'
    case '.jpg':
    case '.jpeg':
      return 'image/jpeg'
    case '.webp':
      return 'image/webp'
    case '.svg':
      return 'image/svg+xml'
    default:
      return 'application/json'
  }
}
