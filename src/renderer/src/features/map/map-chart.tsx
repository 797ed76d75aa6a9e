import Box from '@mui/material/Box'
import Typography from '@mui/material/Typography'
import { useTheme } from '@mui/material/styles'
import { ChartsReferenceLine } from '@mui/x-charts/ChartsReferenceLine'
import { HighlightedScatterMark, ScatterChart } from '@mui/x-charts/ScatterChart'
import { useId, useMemo } from 'react'
import type { PointKind } from '../../../../shared/contract'
import { DRings, RING_COLORS } from './d-rings'
import { KindScatter } from './kind-scatter'
import type { Coords, Domain, MapView } from './map-model'
import { boundLines, fmt, mapSeries } from './map-model'
import { MapTooltip } from './map-tooltip'

const slots = { scatter: KindScatter, tooltip: MapTooltip }
const MARGIN = { top: 12, right: 20, bottom: 8, left: 8 }
const Y_AXIS_W = 56
const X_AXIS_H = 44

/** A chart of `width` whose drawing area is square (equal units per pixel on both axes). */
export const squareChartHeight = (width: number): number =>
  width - MARGIN.left - MARGIN.right - Y_AXIS_W + MARGIN.top + MARGIN.bottom + X_AXIS_H

/**
 * One panel of the map: a scatter of the visible kinds in `coords` (a projection, or distance
 * against cosine), its caption, rings (PCA) or bound lines (distance–cosine), hover tooltip.
 * The figure is named by its caption and described in words.
 */
export function MapChart(props: {
  view: MapView
  coords: Coords
  hidden: ReadonlySet<PointKind>
  domain: Domain
  title: string
  caption: string
  description: string
  xLabel: string
  yLabel: string
  width?: number
  height: number
  showRings?: boolean
  /** How far to trust the panel, shown after the title: "(exact)" or "(approximate)". */
  trust: { label: string; exact: boolean }
}): React.JSX.Element {
  const theme = useTheme()
  const id = useId()
  const { view, coords, hidden } = props
  const series = useMemo(() => mapSeries(view, coords, hidden), [view, coords, hidden])
  const xAxis = useMemo(
    () => [
      {
        id: 'x',
        min: props.domain.x[0],
        max: props.domain.x[1],
        label: props.xLabel,
        height: X_AXIS_H,
        valueFormatter: (v: number) => fmt(v),
      },
    ],
    [props.domain.x, props.xLabel],
  )
  const yAxis = useMemo(
    () => [
      {
        id: 'y',
        min: props.domain.y[0],
        max: props.domain.y[1],
        label: props.yLabel,
        width: Y_AXIS_W,
        valueFormatter: (v: number) => fmt(v),
      },
    ],
    [props.domain.y, props.yLabel],
  )
  const lines = coords === 'dc' ? boundLines(view.bounds) : []
  const labelStyle = { fontSize: 11, fill: theme.palette.text.secondary }

  return (
    <Box
      component="figure"
      aria-labelledby={`${id}-caption`}
      data-panel={coords === 'dc' ? 'distance-cosine' : 'projection'}
      sx={{ m: 0, minWidth: 0 }}
    >
      <Box component="figcaption" id={`${id}-caption`} sx={{ mb: 0.5 }}>
        <Typography variant="subtitle2" component="span">
          {props.title}
        </Typography>{' '}
        <Typography
          variant="caption"
          component="span"
          sx={{ color: props.trust.exact ? 'success.main' : 'warning.main', fontWeight: 600 }}
        >
          {props.trust.label}
        </Typography>
        <Typography
          variant="caption"
          component="span"
          color="text.secondary"
          sx={{ display: 'block' }}
        >
          {props.caption}
        </Typography>
      </Box>
      <ScatterChart
        series={series}
        xAxis={xAxis}
        yAxis={yAxis}
        width={props.width}
        height={props.height}
        margin={MARGIN}
        renderer="svg-batch"
        slots={slots}
        hideLegend
        skipAnimation
        title={`${props.title} ${props.trust.label}`}
        desc={props.description}
      >
        {coords === 'pca' && props.showRings ? <DRings rings={view.rings} /> : null}
        {lines.map((l) =>
          l.axis === 'x' ? (
            <ChartsReferenceLine
              key={l.label}
              x={l.value}
              label={l.label}
              labelAlign="end"
              lineStyle={{
                stroke: l.label.startsWith('D1') ? RING_COLORS.d1 : RING_COLORS.d2,
                strokeDasharray: '6 4',
              }}
              labelStyle={labelStyle}
            />
          ) : (
            <ChartsReferenceLine
              key={l.label}
              y={l.value}
              label={l.label}
              labelAlign="end"
              lineStyle={{ stroke: theme.palette.info.main, strokeDasharray: '2 3' }}
              labelStyle={labelStyle}
            />
          ),
        )}
        <HighlightedScatterMark />
      </ScatterChart>
    </Box>
  )
}
