import { net, protocol } from 'electron'
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { resolveMediaPath } from './services/media-path'

/** Must run before app ready: media:// is a standard, secure scheme that can stream images. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'media', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ])
}

/**
 * `media://<projectId>/<relative path>` serves files inside that project's folder only; the
 * path check is the same one the bridge uses and is tested there.
 */
export function handleMediaProtocol(projectDir: (id: string) => Promise<string | null>): void {
  protocol.handle('media', async (request) => {
    const url = new URL(request.url)
    const dir = await projectDir(decodeURIComponent(url.hostname))
    const file = dir ? resolveMediaPath(dir, url.pathname.replace(/^\//, '')) : null
    if (!file || !existsSync(file)) return new Response(null, { status: 404 })
    return net.fetch(pathToFileURL(file).toString())
  })
}
