import Box from '@mui/material/Box'
import { useTheme } from '@mui/material/styles'
import { useId } from 'react'
import type { Point } from './line-chart-model'
import { formatTick, formatValue, layoutAxes, linePath } from './line-chart-model'

export interface ChartSeries {
  readonly id: string
  readonly label: string
  readonly points: readonly Point[]
  /** A CSS colour (a theme palette value). */
  readonly color: string
  /** Stroke width in viewBox units. */
  readonly width?: number
  readonly opacity?: number
  /** Draws a dot, with its value as a tooltip, at every point. */
  readonly markers?: boolean
}

const WIDTH = 640
const HEIGHT = 240

/**
 * A small dependency-free SVG line chart: x and y axes with a few ticks, a log y axis on
 * request, one line per series. The SVG is an image with a title and a description (what the
 * caller says the data shows); it scales to its container's width.
 */
export function LineChart(props: {
  title: string
  /** What the chart shows, in words, for screen readers. */
  description: string
  series: readonly ChartSeries[]
  xLabel: string
  yLabel: string
  logY?: boolean
  height?: number
}): React.JSX.Element {
  const theme = useTheme()
  const id = useId()
  const height = props.height ?? HEIGHT
  const logY = props.logY ?? false
  const { plot, x, y, xTicks, yTicks } = layoutAxes({
    series: props.series.map((s) => s.points),
    width: WIDTH,
    height,
    logY,
  })
  const axis = theme.palette.text.secondary
  const grid = theme.palette.divider
  const font = { fontSize: 11, fontFamily: theme.typography.fontFamily, fill: axis }

  return (
    <Box
      component="svg"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      sx={{ display: 'block', width: '100%', height: 'auto', overflow: 'visible' }}
    >
      <title id={`${id}-title`}>{props.title}</title>
      <desc id={`${id}-desc`}>{props.description}</desc>
      <g aria-hidden>
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={plot.left} x2={plot.right} y1={y(t)} y2={y(t)} stroke={grid} />
            <text x={plot.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle" {...font}>
              {formatTick(t)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <g key={`x${t}`}>
            <line x1={x(t)} x2={x(t)} y1={plot.bottom} y2={plot.bottom + 4} stroke={axis} />
            <text x={x(t)} y={plot.bottom + 16} textAnchor="middle" {...font}>
              {formatTick(t)}
            </text>
          </g>
        ))}
        <line x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} stroke={axis} />
        <line x1={plot.left} x2={plot.left} y1={plot.top} y2={plot.bottom} stroke={axis} />
        <text x={(plot.left + plot.right) / 2} y={height - 4} textAnchor="middle" {...font}>
          {props.xLabel}
        </text>
        <text
          transform={`translate(12 ${(plot.top + plot.bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
          {...font}
        >
          {logY ? `${props.yLabel} (log scale)` : props.yLabel}
        </text>
      </g>
      {props.series.map((s) => (
        <g key={s.id} data-series={s.id} opacity={s.opacity}>
          <path
            d={linePath(s.points, x, y)}
            fill="none"
            stroke={s.color}
            strokeWidth={s.width ?? 1.5}
            strokeLinejoin="round"
            strokeLinecap="round"
          />
          {s.markers
            ? s.points.map(([px, py]) => {
                const cx = x(px)
                const cy = y(py)
                if (!Number.isFinite(cx) || !Number.isFinite(cy)) return null
                return (
                  <circle
                    key={px}
                    cx={cx}
                    cy={cy}
                    r={3.5}
                    fill={theme.palette.background.paper}
                    stroke={s.color}
                    strokeWidth={2}
                    data-point={`${px},${py}`}
                  >
                    <title>{`${s.label}: ${formatValue(py)} at ${props.xLabel.toLowerCase()} ${formatTick(px)}`}</title>
                  </circle>
                )
              })
            : null}
        </g>
      ))}
    </Box>
  )
}
