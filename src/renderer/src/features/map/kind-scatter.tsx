import type { ScatterPlotSlots } from '@mui/x-charts/ScatterChart'
import { getValueToPositionMapper } from '@mui/x-charts/hooks'
import { memo, useMemo } from 'react'
import type { PointKind } from '../../../../shared/contract'
import { kindStyles } from './map-model'
import { shapePath } from './map-shapes'

type SlotProps = React.ComponentProps<NonNullable<ScatterPlotSlots['scatter']>>

/** Markers per `<path>`: long enough to keep the DOM small, short enough for the parser. */
const PER_PATH = 1000
/** Series this small get one element per point (its index, its centre in SVG pixels), so each can be found. */
const SINGLE_LIMIT = 64

const isKind = (id: string | number): id is PointKind => typeof id === 'string' && id in kindStyles

/**
 * The scatter plot's `scatter` slot: each kind drawn in its own shape, batched into a few
 * `<path>` elements (like x-charts' `svg-batch` renderer, which only draws circles). Hover and
 * keyboard focus come from the chart's closest-point interaction; markers take no pointer
 * events, so hit testing stays cheap at thousands of points.
 */
export const KindScatter = memo(function KindScatter(props: SlotProps): React.JSX.Element | null {
  const { series, xScale, yScale } = props
  const kind = isKind(series.id) ? series.id : null
  const paths = useMemo(() => {
    if (!kind) return []
    const style = kindStyles[kind]
    const px = getValueToPositionMapper(xScale)
    const py = getValueToPositionMapper(yScale)
    const data = series.data
    if (data.length <= SINGLE_LIMIT) {
      return data.map((p) => {
        const x = px(p.x)
        const y = py(p.y)
        return {
          key: `p${String(p.id)}`,
          index: p.id,
          at: `${x.toFixed(1)},${y.toFixed(1)}`,
          d: shapePath(style.shape, x, y, style.size),
        }
      })
    }
    const out: { key: string; index: undefined; at: undefined; d: string }[] = []
    for (let start = 0; start < data.length; start += PER_PATH) {
      let d = ''
      const end = Math.min(data.length, start + PER_PATH)
      for (let i = start; i < end; i++)
        d += shapePath(style.shape, px(data[i]!.x), py(data[i]!.y), style.size)
      out.push({ key: `b${start}`, index: undefined, at: undefined, d })
    }
    return out
  }, [kind, series.data, xScale, yScale])
  if (!kind) return null
  const style = kindStyles[kind]
  return (
    <g
      data-kind={kind}
      fill={style.color}
      stroke={kind === 'erasure' || kind === 'anchor' ? '#ffffff' : 'none'}
      strokeWidth={0.75}
      style={{ pointerEvents: 'none' }}
    >
      {paths.map((p) => (
        <path key={p.key} d={p.d} data-index={p.index} data-at={p.at} />
      ))}
    </g>
  )
})
