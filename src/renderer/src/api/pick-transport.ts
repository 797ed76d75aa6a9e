import { bridgeTransport } from './bridge-transport'
import { ipcTransport } from './ipc-transport'
import type { Transport } from './transport'

export interface TransportChoice {
  readonly transport: Transport
  readonly kind: 'ipc' | 'bridge'
  /** Query string to append to media URLs (the bridge token), or ''. */
  readonly mediaQuery: string
}

/**
 * Chosen once at start-up: Electron's preload if present, else the bridge named in the URL
 * fragment (`#token=…&bridge=ws://127.0.0.1:PORT/ws`; bridge defaults to this page's host).
 */
export function pickTransport(win: Window): TransportChoice {
  if (win.studio) return { transport: ipcTransport(win.studio), kind: 'ipc', mediaQuery: '' }
  const params = new URLSearchParams(win.location.hash.replace(/^#/, ''))
  const token = params.get('token') ?? win.sessionStorage.getItem('realera.token') ?? ''
  if (token) win.sessionStorage.setItem('realera.token', token)
  const base = params.get('bridge') ?? `ws://${win.location.host}/ws`
  if (params.get('bridge')) win.sessionStorage.setItem('realera.bridge', base)
  const bridge = params.get('bridge') ?? win.sessionStorage.getItem('realera.bridge') ?? base
  const url = `${bridge}?token=${encodeURIComponent(token)}`
  return { transport: bridgeTransport(url), kind: 'bridge', mediaQuery: `?token=${encodeURIComponent(token)}` }
}
