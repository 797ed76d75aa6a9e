/**
 * The page `bench/map.ts` builds and opens in headless chromium: the map's two panels (the real
 * components) on synthetic points, and an empty scatter chart of the same size as the baseline.
 * It measures in the page, so the figures leave out the DevTools protocol's round trips.
 */
import CssBaseline from '@mui/material/CssBaseline'
import { ThemeProvider } from '@mui/material/styles'
import { ScatterChart } from '@mui/x-charts/ScatterChart'
import { createRoot } from 'react-dom/client'
import type { Root } from 'react-dom/client'
import { erasureParamsSchema } from '../../../../src/shared/contract'
import { createStudioTheme } from '../../../../src/renderer/src/app/theme'
import { boundsOf, buildMapView } from '../../../../src/renderer/src/features/map/map-model'
import {
  CHART_H,
  MapPanels,
  PROJECTION_W,
} from '../../../../src/renderer/src/features/map/map-panels'
import { syntheticMapOf } from './synthetic-map'

export interface MapBenchApi {
  /** Mounts the panels with about `n` points (or an empty chart for 0); ms until painted. */
  mount(n: number): Promise<number>
  unmount(): void
  /** Points drawn, as `[data-kind] path` centres for single markers: where to hover. */
  targets(): { x: number; y: number }[]
  /** Starts listening: the next pointer move's time to an updated, painted tooltip. */
  arm(): void
  /** The armed measurement, in ms. */
  result(): Promise<number>
}

declare global {
  interface Window {
    mapBench: MapBenchApi
  }
}

const theme = createStudioTheme('light')
const bounds = boundsOf(erasureParamsSchema.parse({}))
const container = document.getElementById('root')!
let root: Root | null = null
let pending: Promise<number> | null = null

const frame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve))

/** Resolves after the next paint following `ready()` becoming true. */
async function paintedWhen(ready: () => boolean): Promise<void> {
  while (!ready()) await frame()
  await frame()
  await new Promise<void>((resolve) => setTimeout(resolve, 0))
}

function view(n: number): React.JSX.Element {
  if (n === 0) {
    return (
      <ScatterChart series={[]} width={PROJECTION_W} height={CHART_H} hideLegend skipAnimation />
    )
  }
  const v = buildMapView(syntheticMapOf(n), bounds)
  return <MapPanels view={v} projection="pca" hidden={new Set()} showRings placeholder={null} />
}

window.mapBench = {
  async mount(n) {
    const t0 = performance.now()
    root = createRoot(container)
    root.render(
      <ThemeProvider theme={theme}>
        <CssBaseline />
        <div style={{ width: 1100, padding: 16 }}>{view(n)}</div>
      </ThemeProvider>,
    )
    // Ready: both panels have drawn their markers (the last kind drawn is the erasure e).
    await paintedWhen(() => {
      if (n === 0) return container.querySelector('svg g') !== null
      const figures = Array.from(container.querySelectorAll('figure'))
      return (
        figures.length === 2 &&
        figures.every((f) => f.querySelector('[data-kind="erasure"] path') !== null)
      )
    })
    return performance.now() - t0
  },
  unmount() {
    root?.unmount()
    root = null
  },
  targets() {
    return Array.from(container.querySelectorAll('figure[data-panel="projection"] [data-at]')).map(
      (el) => {
        const svg = el.closest('svg')!.getBoundingClientRect()
        const [x, y] = (el.getAttribute('data-at') ?? '0,0').split(',').map(Number)
        return { x: svg.left + x!, y: svg.top + y! }
      },
    )
  },
  arm() {
    const before = document.querySelector('[data-testid="map-point-card"]')?.textContent ?? ''
    pending = new Promise<number>((resolve) => {
      let t0 = 0
      const onMove = (e: PointerEvent): void => {
        if (t0 === 0) t0 = e.timeStamp
      }
      window.addEventListener('pointermove', onMove, { capture: true })
      const check = async (): Promise<void> => {
        const now = document.querySelector('[data-testid="map-point-card"]')?.textContent ?? ''
        if (t0 > 0 && now !== '' && now !== before) {
          observer.disconnect()
          window.removeEventListener('pointermove', onMove, { capture: true })
          await frame()
          resolve(performance.now() - t0)
        }
      }
      const observer = new MutationObserver(() => void check())
      observer.observe(document.body, { subtree: true, childList: true, characterData: true })
    })
  },
  result() {
    if (!pending) throw new Error('arm() first')
    return pending
  },
}
