import { useTheme } from '@mui/material/styles'
import { useXScale, useYScale } from '@mui/x-charts/hooks'
import type { Ring } from './map-model'

export const RING_COLORS = { d1: '#D55E00', d2: '#8F8F8F' } as const

/**
 * D1 and D2 around each erasure embedding, in PCA coordinates. PCA is an orthogonal
 * projection, which never lengthens a distance, so every point within D1 of e in embedding
 * space lands inside its D1 ring here (the converse does not hold).
 */
export function DRings(props: { rings: readonly Ring[] }): React.JSX.Element {
  const theme = useTheme()
  const x = useXScale<'linear'>()
  const y = useYScale<'linear'>()
  const font = { fontSize: 11, fontFamily: theme.typography.fontFamily }
  return (
    <g data-layer="rings" fill="none" style={{ pointerEvents: 'none' }}>
      {props.rings.map((r, i) => {
        const cx = x(r.cx)
        const cy = y(r.cy)
        const ellipse = (radius: number): { rx: number; ry: number } => ({
          rx: Math.abs(x(r.cx + radius) - cx),
          ry: Math.abs(y(r.cy + radius) - cy),
        })
        const d1 = ellipse(r.r1)
        const d2 = ellipse(r.r2)
        return (
          <g key={`${r.prompt}-${i}`} data-ring={r.prompt}>
            <ellipse
              cx={cx}
              cy={cy}
              {...d2}
              stroke={RING_COLORS.d2}
              strokeWidth={1.25}
              strokeDasharray="2 3"
            />
            <ellipse
              cx={cx}
              cy={cy}
              {...d1}
              stroke={RING_COLORS.d1}
              strokeWidth={1.25}
              strokeDasharray="6 4"
            />
            {i === 0 ? (
              <>
                <text x={cx} y={cy - d1.ry - 4} textAnchor="middle" fill={RING_COLORS.d1} {...font}>
                  D1
                </text>
                <text x={cx} y={cy - d2.ry - 4} textAnchor="middle" fill={RING_COLORS.d2} {...font}>
                  D2
                </text>
              </>
            ) : null}
          </g>
        )
      })}
    </g>
  )
}
