import Box from '@mui/material/Box'
import Paper from '@mui/material/Paper'
import Typography from '@mui/material/Typography'
import type { ChartsTooltipProps } from '@mui/x-charts/ChartsTooltip'
import { ChartsTooltipContainer, useItemTooltip } from '@mui/x-charts/ChartsTooltip'
import { useScatterSeriesContext } from '@mui/x-charts/hooks'
import { useMapData } from './map-context'
import type { MapBounds, MapPoint } from './map-model'
import { kindStyles, pointDetails } from './map-model'
import { shapePath } from './map-shapes'

/** The hovered (or keyboard-focused) point: prompt, kind, distance, cosine, probe region. */
export function PointCard(props: { point: MapPoint; bounds: MapBounds }): React.JSX.Element {
  const details = pointDetails(props.point, props.bounds)
  const style = kindStyles[props.point.kind]
  return (
    <Paper elevation={4} sx={{ p: 1.5, maxWidth: 360 }} data-testid="map-point-card">
      <Typography variant="subtitle2" component="p" sx={{ mb: 0.5, overflowWrap: 'anywhere' }}>
        <svg width={14} height={14} aria-hidden style={{ marginRight: 6, verticalAlign: -2 }}>
          <path d={shapePath(style.shape, 7, 7, 4.5)} fill={style.color} />
        </svg>
        {details.title}
      </Typography>
      <Box
        component="dl"
        aria-label="Point details"
        sx={{
          display: 'grid',
          gridTemplateColumns: 'auto 1fr',
          columnGap: 1.5,
          rowGap: 0.25,
          m: 0,
        }}
      >
        {details.rows.map(([term, value]) => (
          <Box key={term} sx={{ display: 'contents' }}>
            <Typography component="dt" variant="body2" color="text.secondary">
              {term}
            </Typography>
            <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: 'anywhere' }}>
              {value}
            </Typography>
          </Box>
        ))}
      </Box>
      {details.region ? (
        <Typography
          variant="body2"
          sx={{
            mt: 0.75,
            fontWeight: 500,
            color: details.region.inside ? 'warning.main' : 'success.main',
          }}
        >
          {details.region.text}
        </Typography>
      ) : null}
    </Paper>
  )
}

/** The charts' `tooltip` slot: the default container, with our card as content. */
export function MapTooltip(props: ChartsTooltipProps): React.JSX.Element {
  const { sort: _sort, ...container } = props
  return (
    <ChartsTooltipContainer {...container} trigger="item">
      <MapTooltipContent />
    </ChartsTooltipContainer>
  )
}

function MapTooltipContent(): React.JSX.Element | null {
  const item = useItemTooltip<'scatter'>()
  const scatter = useScatterSeriesContext()
  const data = useMapData()
  if (!item || !data || !scatter) return null
  const { seriesId, dataIndex } = item.identifier
  const datum = scatter.series[seriesId]?.data?.[dataIndex]
  const point = typeof datum?.id === 'number' ? data.points[datum.id] : undefined
  return point ? <PointCard point={point} bounds={data.bounds} /> : null
}
