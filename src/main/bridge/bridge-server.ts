import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { WebSocketServer } from 'ws'
import type { WebSocket } from 'ws'
import type { Project } from '../../shared/contract'
import { isCommandName, isHostCommand, parseCommandInput } from '../../shared/contract'
import type { Envelope } from '../../shared/errors'
import { StudioError, toErrorInfo } from '../../shared/errors'
import type { HostClient } from '../host/host-client'
import { mediaContentType, resolveMediaPath } from '../services/media-path'

export interface BridgeOptions {
  readonly host: HostClient
  /** Built renderer to serve at `/` (same origin as the socket); omit for dev:web. */
  readonly staticDir?: string
  readonly port?: number
  readonly token?: string
}

export interface Bridge {
  readonly url: string
  readonly port: number
  readonly token: string
  close(): Promise<void>
}

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const isLoopbackHost = (hostHeader: string | undefined): boolean =>
  hostHeader !== undefined && /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(hostHeader)

/** A page in a browser cannot reach the desktop's file manager (capabilities say so). */
export const browserHasNoFileManager = (): StudioError =>
  new StudioError('unavailable', 'A browser cannot open the file manager; use the path shown instead.')

/**
 * The renderer's transport in a browser: a WebSocket carrying the same contract as Electron IPC,
 * plus a /media route, bound to 127.0.0.1 and guarded by a random token. Inputs are validated
 * here before they reach the host, exactly as the Electron IPC adapter does.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? randomBytes(24).toString('hex')
  const host = options.host
  const sockets = new Set<WebSocket>()

  const invoke = async (name: unknown, raw: unknown, origin: string): Promise<Envelope<unknown>> => {
    try {
      if (!isCommandName(name)) return await host.request(String(name), raw)
      const input = parseCommandInput(name, raw)
      if (isHostCommand(name)) return await host.request(name, input)
      if (name === 'shell.chooseFolder') return { ok: true, value: { path: null } }
      if (name === 'shell.showInFolder') throw browserHasNoFileManager()
      return { ok: true, value: { nativeDialogs: false, mediaBase: `${origin}/media` } }
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) }
    }
  }

  const projectDir = async (id: string): Promise<string | null> => {
    const res = await host.request('projects.list', {})
    if (!res.ok) return null
    const found = (res.value as Project[]).find((p) => p.id === id)
    return found?.dir ?? null
  }

  const serveMedia = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const [, , projectId = '', ...rest] = url.pathname.split('/')
    const dir = await projectDir(decodeURIComponent(projectId))
    const file = dir ? resolveMediaPath(dir, rest.join('/')) : null
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': mediaContentType(file), 'cache-control': 'no-cache' })
    createReadStream(file).pipe(res)
  }

  const serveStatic = (res: ServerResponse, url: URL): void => {
    const root = options.staticDir
    if (!root) {
      res.writeHead(404).end()
      return
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1))
    const file = path.resolve(root, rel)
    if (!file.startsWith(path.resolve(root) + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': STATIC_TYPES[path.extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (!isLoopbackHost(req.headers.host)) {
      res.writeHead(403).end()
      return
    }
    if (url.pathname.startsWith('/media/')) {
      if (!sameToken(url.searchParams.get('token') ?? '', token)) {
        res.writeHead(403).end()
        return
      }
      void serveMedia(req, res, url).catch(() => res.writeHead(500).end())
      return
    }
    serveStatic(res, url)
  })

  const wss = new WebSocketServer({
    server,
    path: '/ws',
    verifyClient: ({ req }: { req: IncomingMessage }) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      return isLoopbackHost(req.headers.host) && sameToken(url.searchParams.get('token') ?? '', token)
    },
  })

  const unsubscribe = host.onEvent((payload, name) => {
    const text = JSON.stringify({ type: 'event', name, payload })
    for (const ws of sockets) ws.send(text)
  })

  wss.on('connection', (ws, req) => {
    sockets.add(ws)
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`
    ws.on('close', () => sockets.delete(ws))
    ws.on('message', (data) => {
      let msg: { type?: unknown; id?: unknown; name?: unknown; input?: unknown }
      try {
        msg = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : '') as typeof msg
      } catch {
        return
      }
      if (msg.type !== 'invoke' || typeof msg.id !== 'number') return
      const id = msg.id
      void invoke(msg.name, msg.input, origin).then((envelope) =>
        ws.send(JSON.stringify({ type: 'result', id, envelope })),
      )
    })
  })

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    close: async () => {
      unsubscribe()
      for (const ws of sockets) ws.terminate()
      wss.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
