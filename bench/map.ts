import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import react from '@vitejs/plugin-react'
import { chromium } from 'playwright-core'
import type { Page } from 'playwright-core'
import { build } from 'vite'
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/helpers/studio-web'
import { fmtMs, report } from './timing'

const OUT = path.resolve(__dirname, '.cache', 'map-bench')
const ENTRY = path.resolve(
  __dirname,
  '..',
  'tests',
  'unit',
  'renderer',
  'helpers',
  'map-bench-page.tsx',
)
const POINTS = 5000
const SMALL = 100
const MOUNTS = 5
const HOVERS = 12

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? NaN
}

/** The harness page as one production ES module (React's production build, as shipped). */
async function buildPage(): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    mode: 'production',
    plugins: [react()],
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir: OUT,
      emptyOutDir: true,
      lib: { entry: ENTRY, formats: ['es'], fileName: () => 'map-bench.js' },
    },
  })
}

function serve(): Promise<{ url: string; close: () => void }> {
  const html =
    '<!doctype html><html><head><meta charset="utf-8"></head><body><div id="root"></div><script type="module" src="/map-bench.js"></script></body></html>'
  const server = createServer((req, res) => {
    if (req.url === '/map-bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' })
      res.end(readFileSync(path.join(OUT, 'map-bench.js')))
    } else {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end(html)
    }
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => server.close() })
    })
  })
}

/** What the harness page (tests/unit/renderer/helpers/map-bench-page.tsx) puts on `window`. */
interface Bench {
  readonly mapBench: {
    mount(n: number): Promise<number>
    unmount(): void
    targets(): { x: number; y: number }[]
    arm(): void
    result(): Promise<number>
  }
}
const api = (
  page: Page,
): { mount: (n: number) => Promise<number>; unmount: () => Promise<void> } => ({
  mount: (n) => page.evaluate((k) => (globalThis as unknown as Bench).mapBench.mount(k), n),
  unmount: () => page.evaluate(() => (globalThis as unknown as Bench).mapBench.unmount()),
})

/** Time from mount to painted: the first (cold) mount, and the median of the next ones. */
async function mountTime(page: Page, n: number): Promise<{ cold: number; median: number }> {
  const { mount, unmount } = api(page)
  const cold = await mount(n)
  await unmount()
  const times: number[] = []
  for (let i = 0; i < MOUNTS; i++) {
    times.push(await mount(n))
    await unmount()
  }
  return { cold, median: median(times) }
}

/** Median time from a pointer move onto another point to its tooltip painted. */
async function hoverTime(page: Page, n: number): Promise<{ median: number; worst: number }> {
  const { mount, unmount } = api(page)
  await mount(n)
  const targets = await page.evaluate(() => (globalThis as unknown as Bench).mapBench.targets())
  if (targets.length < 2)
    throw new Error(`the map drew ${targets.length} single markers; need 2 to hover`)
  const times: number[] = []
  for (let i = 0; i < HOVERS + 1; i++) {
    const t = targets[i % targets.length]!
    await page.evaluate(() => (globalThis as unknown as Bench).mapBench.arm())
    await page.mouse.move(t.x, t.y)
    const ms = await page.evaluate(() => (globalThis as unknown as Bench).mapBench.result())
    if (i > 0) times.push(ms)
  }
  await page.mouse.move(1, 1)
  await unmount()
  return { median: median(times), worst: Math.max(...times) }
}

/**
 * The embedding map in headless chromium: time to first render of both panels with 5,000
 * points against an empty chart of the same size, and time from a pointer move to the updated
 * tooltip against the same map with 100 points. Goals: ≤ 500 ms and ≤ 50 ms.
 */
export async function benchMap(): Promise<void> {
  await buildPage()
  const server = await serve()
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text())
    })
    page.on('pageerror', (e) => problems.push(e.message))
    await page.goto(server.url)
    await page.waitForFunction(() => 'mapBench' in globalThis)
    const empty = await mountTime(page, 0)
    const small = await mountTime(page, SMALL)
    const big = await mountTime(page, POINTS)
    const hoverSmall = await hoverTime(page, SMALL)
    const hoverBig = await hoverTime(page, POINTS)
    if (problems.length > 0) throw new Error(`the page reported problems:\n${problems.join('\n')}`)
    report(`Embedding map, headless chromium (median of ${MOUNTS} warm mounts, ${HOVERS} hovers)`, [
      [
        'empty scatter chart, mount → painted (baseline)',
        `${fmtMs(empty.median)} (first mount ${fmtMs(empty.cold)}, page warm-up included)`,
      ],
      [
        `map, ${SMALL} points, mount → painted`,
        `${fmtMs(small.median)} (first mount ${fmtMs(small.cold)})`,
      ],
      [
        `map, ${POINTS.toLocaleString('en-US')} points, mount → painted`,
        `${fmtMs(big.median)} (first mount ${fmtMs(big.cold)}; ${(big.median / empty.median).toFixed(1)}× the empty chart; goal ≤ 500 ms)`,
      ],
      [
        `hover → tooltip painted, ${SMALL} points (baseline)`,
        `${fmtMs(hoverSmall.median)} (worst ${fmtMs(hoverSmall.worst)})`,
      ],
      [
        `hover → tooltip painted, ${POINTS.toLocaleString('en-US')} points`,
        `${fmtMs(hoverBig.median)} (worst ${fmtMs(hoverBig.worst)}; ${(hoverBig.median / hoverSmall.median).toFixed(2)}× ${SMALL} points; goal ≤ 50 ms)`,
      ],
    ])
  } finally {
    await browser.close()
    server.close()
  }
}
