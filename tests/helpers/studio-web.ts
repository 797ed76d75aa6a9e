import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import type { Bridge } from '../../src/main/bridge/bridge-server'
import { startBridge } from '../../src/main/bridge/bridge-server'
import { HostClient, nodeSpawner } from '../../src/main/host/host-client'

export const CHROMIUM = process.env.REALERA_CHROMIUM ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface StudioWeb {
  readonly dataDir: string
  readonly projectsDir: string
  readonly host: HostClient
  readonly bridge: Bridge
  readonly browser: Browser
  readonly context: BrowserContext
  readonly page: Page
  /** `${bridge.url}/#token=…`: what a user would open. */
  readonly url: string
  /** Console errors and warnings, page errors and React warnings seen so far. */
  readonly problems: string[]
  close(): Promise<void>
}

/**
 * A real engine host (temp data and projects folders), the bridge serving the built renderer,
 * and headless Debian chromium on it. Collects every console error or warning and page error,
 * so a test can fail on any of them.
 */
export async function startStudioWeb(
  options: {
    staticDir?: string
    demoStepMs?: number
    colorScheme?: 'light' | 'dark'
    /**
     * First start as `npm start` does it: the host makes the "ShapeWorld demo" project and
     * registers the model in `modelDir` as the bundled ShapeWorld model. Left out: no demo.
     */
    demo?: { modelDir: string }
  } = {},
): Promise<StudioWeb> {
  const staticDir = path.resolve(options.staticDir ?? 'out/renderer')
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`${staticDir}/index.html is missing: run npm run build first.`)
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium.`)
  }
  const root = mkdtempSync(path.join(os.tmpdir(), 'realera-e2e-'))
  const dataDir = path.join(root, 'data')
  const projectsDir = path.join(root, 'projects')
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REALERA_DATA_DIR: dataDir,
    REALERA_PROJECTS_DIR: projectsDir,
    REALERA_DEMO_STEP_MS: String(options.demoStepMs ?? 400),
    REALERA_NO_DEMO: '1',
  }
  if (options.demo) {
    delete env.REALERA_NO_DEMO
    env.REALERA_BUNDLED_SHAPEWORLD = path.resolve(options.demo.modelDir)
  }
  const host = new HostClient(nodeSpawner(env))
  await host.start()
  const bridge = await startBridge({ host, staticDir })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  })
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
  })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error' || msg.type() === 'warning')
      problems.push(`console.${msg.type()}: ${msg.text()}`)
  })
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`))
  const url = `${bridge.url}/#token=${bridge.token}`

  return {
    dataDir,
    projectsDir,
    host,
    bridge,
    browser,
    context,
    page,
    url,
    problems,
    async close() {
      await browser.close().catch(() => undefined)
      await bridge.close().catch(() => undefined)
      await host.stop().catch(() => undefined)
      rmSync(root, { recursive: true, force: true })
    },
  }
}
