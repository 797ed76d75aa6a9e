import Box from '@mui/material/Box'
import { forwardRef, useMemo } from 'react'
import type { PointKind } from '../../../../shared/contract'
import { MapChart, squareChartHeight } from './map-chart'
import { MapDataContext } from './map-context'
import type { MapView, Projection } from './map-model'
import { dcDomain, distanceAxisLabel, mapDescription, projectionDomain } from './map-model'

export const PROJECTION_W = 440
export const CHART_H = squareChartHeight(PROJECTION_W)

const captions: Readonly<Record<Projection, string>> = {
  pca: 'The two directions of greatest variance. A projection never lengthens a distance, so every neighbor lies inside its D1 ring; points that look close may still be far apart.',
  umap: 'Keeps each point’s nearest neighbours together; distances and cluster sizes on this plot carry no meaning, so it has no rings.',
}

const dcCaption = (relative: boolean): string =>
  `Each point’s distance to its e and cosine with e, as sampled. Neighbors lie left of D1 between S2 and S1; beyond points between D1 and D2, below S2.${relative ? ' Distances are fractions of ‖e‖, the unit D1 and D2 are set in.' : ''}`

/**
 * The two panels side by side: the projection (square, so distances are not stretched; or
 * `placeholder` where it has no coordinates yet) and the exact distance–cosine plot.
 */
export const MapPanels = forwardRef<
  HTMLDivElement,
  {
    view: MapView
    projection: Projection
    hidden: ReadonlySet<PointKind>
    showRings: boolean
    /** Shown instead of the projection chart (UMAP before its layout exists). */
    placeholder: React.ReactNode
  }
>(function MapPanels(props, ref) {
  const { view, projection, hidden } = props
  const data = useMemo(() => ({ points: view.points, bounds: view.bounds }), [view])
  const projDomain = useMemo(
    () => projectionDomain(view, projection, props.showRings),
    [view, projection, props.showRings],
  )
  const dc = useMemo(() => dcDomain(view), [view])
  const description = useMemo(() => mapDescription(view), [view])
  return (
    <MapDataContext.Provider value={data}>
      <Box
        ref={ref}
        sx={{
          display: 'grid',
          gap: 3,
          gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: `${PROJECTION_W}px minmax(0, 1fr)` },
        }}
      >
        {props.placeholder ?? (
          <MapChart
            view={view}
            coords={projection}
            hidden={hidden}
            domain={projDomain}
            title={projection === 'pca' ? 'PCA projection' : 'UMAP layout'}
            trust={{ label: '(approximate)', exact: false }}
            caption={captions[projection]}
            description={description}
            xLabel={projection === 'pca' ? 'PC 1' : 'UMAP 1'}
            yLabel={projection === 'pca' ? 'PC 2' : 'UMAP 2'}
            width={PROJECTION_W}
            height={CHART_H}
            showRings={projection === 'pca' && props.showRings}
          />
        )}
        <MapChart
          view={view}
          coords="dc"
          hidden={hidden}
          domain={dc}
          title="Distance vs cosine"
          trust={{ label: '(exact)', exact: true }}
          caption={dcCaption(view.bounds.unit === 'relative')}
          description={description}
          xLabel={distanceAxisLabel(view.bounds)}
          yLabel="Cosine with e"
          height={CHART_H}
        />
      </Box>
    </MapDataContext.Provider>
  )
})
