/**
 * `npm run dev:web`: the renderer in a browser with hot reload, against a real engine host.
 * Starts the host (same env vars as always: REALERA_DATA_DIR, REALERA_PROJECTS_DIR,
 * REALERA_DEMO_STEP_MS), the bridge (socket only; Vite serves the page), then Vite's dev server,
 * and prints the URL to open. Ctrl-C stops all three.
 */
import path from 'node:path'
import react from '@vitejs/plugin-react'
import type { Plugin, ViteDevServer } from 'vite'
import { createServer } from 'vite'
import type { Bridge } from '../src/main/bridge/bridge-server'
import { startBridge } from '../src/main/bridge/bridge-server'
import { HostClient, nodeSpawner } from '../src/main/host/host-client'

const rendererRoot = path.resolve(__dirname, '..', 'src', 'renderer')
const PREAMBLE_MODULE = '/@id/@vitejs/plugin-react/preamble'

/**
 * plugin-react injects its Fast Refresh preamble as an inline script, which the renderer's CSP
 * (`script-src 'self'`) rightly blocks. plugin-react also serves the same code as a virtual
 * module, so the page loads that instead and the CSP stays as strict as in production.
 */
function cspSafeReactPreamble(): Plugin {
  return {
    name: 'realera:csp-safe-react-preamble',
    apply: 'serve',
    transformIndexHtml: {
      order: 'post',
      handler: (html) =>
        html.replace(
          /<script type="module">\s*import \{ injectIntoGlobalHook \}[\s\S]*?<\/script>/,
          `<script type="module" src="${PREAMBLE_MODULE}"></script>`,
        ),
    },
  }
}

function localPort(vite: ViteDevServer): number {
  const address = vite.httpServer?.address()
  if (!address || typeof address === 'string') throw new Error('Vite did not start an HTTP server.')
  return address.port
}

async function main(): Promise<void> {
  const host = new HostClient(nodeSpawner(process.env))
  let bridge: Bridge | null = null
  let vite: ViteDevServer | null = null
  let stopping = false
  const stop = async (code: number): Promise<void> => {
    if (stopping) return
    stopping = true
    // Stop the host first: once stopped it is not restarted, even if Ctrl-C reached it too.
    await Promise.all([
      host.stop().catch(() => undefined),
      vite?.close().catch(() => undefined),
      bridge?.close().catch(() => undefined),
    ])
    process.exit(code)
  }
  process.on('SIGINT', () => void stop(0))
  process.on('SIGTERM', () => void stop(0))

  try {
    await host.start()
    bridge = await startBridge({ host })
    vite = await createServer({
      configFile: false,
      root: rendererRoot,
      plugins: [react(), cspSafeReactPreamble()],
      server: { host: 'localhost', port: Number(process.env.PORT ?? 5173) },
      clearScreen: false,
    })
    await vite.listen()
  } catch (err) {
    console.error(`dev:web could not start: ${(err as Error).message}`)
    await stop(1)
    return
  }

  const wsUrl = `ws://127.0.0.1:${bridge.port}/ws`
  const url = `http://localhost:${localPort(vite)}/#token=${bridge.token}&bridge=${wsUrl}`
  console.log('\nRealEra Studio (browser mode) is running. Open:\n')
  console.log(`  ${url}\n`)
  console.log('Press Ctrl-C to stop the dev server, the bridge and the engine host.\n')
}

void main()
