import ScatterIcon from '@mui/icons-material/BubbleChartOutlined'
import DownloadIcon from '@mui/icons-material/FileDownloadOutlined'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import ToggleButton from '@mui/material/ToggleButton'
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup'
import Typography from '@mui/material/Typography'
import { useTheme } from '@mui/material/styles'
import { useCallback, useMemo, useRef, useState } from 'react'
import type { Experiment, PointKind } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/error-alert'
import { RING_COLORS } from './d-rings'
import type { LegendKey } from './map-export'
import { collectPanels, composeMapSvg, downloadBlob, svgToPng } from './map-export'
import { MapLegend } from './map-legend'
import type { MapView, Projection } from './map-model'
import {
  boundsOf,
  buildMapView,
  exportFileName,
  kindStyles,
  legendKinds,
  projectionLabels,
  toggleKind,
} from './map-model'
import { CHART_H, MapPanels, PROJECTION_W } from './map-panels'
import { UmapPanel } from './umap-panel'
import { useEmbeddingMap } from './use-embedding-map'

/** The legend drawn into an exported file: the visible kinds, then the rings and bounds. */
function exportLegend(
  view: MapView,
  hidden: ReadonlySet<PointKind>,
  rings: boolean,
  info: string,
): LegendKey[] {
  const keys: LegendKey[] = legendKinds
    .filter((k) => !hidden.has(k) && view.counts[k] > 0)
    .map((k) => ({
      label: kindStyles[k].label,
      color: kindStyles[k].color,
      shape: kindStyles[k].shape,
    }))
  if (rings) {
    keys.push({ label: 'D1 ring', color: RING_COLORS.d1, shape: 'dash' })
    keys.push({ label: 'D2 ring', color: RING_COLORS.d2, shape: 'dash' })
  }
  keys.push({ label: 'S1, S2 bounds', color: info, shape: 'dash' })
  return keys
}

function EmptyMap(props: { running: boolean }): React.JSX.Element {
  return (
    <Stack
      spacing={1}
      sx={{
        alignItems: 'center',
        textAlign: 'center',
        py: 5,
        bgcolor: 'action.hover',
        borderRadius: 1,
      }}
    >
      <ScatterIcon sx={{ fontSize: 40, color: 'text.secondary' }} aria-hidden />
      <Typography variant="subtitle1" component="p">
        No points yet
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ maxWidth: 520 }}>
        The map shows what stage 1 samples around the concept: the erasure embedding e, its anchor,
        neighbor, anchor-tolerance and beyond points, preserved concepts and probes.{' '}
        {props.running
          ? 'They appear here when stage 1 finishes.'
          : 'Run this experiment (Duplicate, then Start; or Resume a cancelled run) to sample them.'}
      </Typography>
    </Stack>
  )
}

/**
 * The experiment's embedding-space map: the stage-1 points projected to 2-D (PCA, or UMAP on
 * request) beside the exact distance-to-e against cosine-with-e plot with the D1, D2, S1, S2
 * bounds; a legend that toggles each kind; hover details; SVG and PNG export.
 */
export function MapSection(props: {
  projectId: string
  experiment: Experiment
  running: boolean
}): React.JSX.Element {
  const exp = props.experiment
  const theme = useTheme()
  const umap = useEmbeddingMap(props.projectId, exp)
  const [projection, setProjection] = useState<Projection>('pca')
  const [hidden, setHidden] = useState<ReadonlySet<PointKind>>(() => new Set())
  const [rings, setRings] = useState(true)
  const [exportError, setExportError] = useState<unknown>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const panels = useRef<HTMLDivElement>(null)
  const bounds = useMemo(() => boundsOf(exp.params), [exp.params])
  const view = useMemo(() => (umap.map ? buildMapView(umap.map, bounds) : null), [umap.map, bounds])
  const onToggle = useCallback((kind: PointKind) => setHidden((h) => toggleKind(h, kind)), [])
  const showRings = projection === 'pca' && rings

  const exportAs = async (ext: 'svg' | 'png'): Promise<void> => {
    setExportError(null)
    setSaved(null)
    try {
      const parts = collectPanels(panels.current)
      if (!view || parts.length === 0) throw new Error('There is no chart to export yet.')
      const doc = composeMapSvg({
        title: `${exp.name}: embedding map (${projectionLabels[projection]})`,
        panels: parts,
        legend: exportLegend(view, hidden, showRings, theme.palette.info.main),
        note: 'Distances and cosines are exact; the 2-D projection is not.',
        colors: {
          background: theme.palette.background.paper,
          text: theme.palette.text.primary,
          muted: theme.palette.text.secondary,
        },
        font: String(theme.typography.fontFamily ?? 'sans-serif'),
      })
      const name = exportFileName(exp.number, projection, ext)
      const blob =
        ext === 'svg'
          ? new Blob([doc.svg], { type: 'image/svg+xml' })
          : await svgToPng(doc.svg, doc.width, doc.height)
      downloadBlob(blob, name)
      setSaved(name)
    } catch (err) {
      setExportError(err)
    }
  }

  const hasPoints = view !== null && view.points.length > 0
  let body: React.ReactNode
  if (!view) {
    body = umap.loadError ? (
      <ErrorAlert error={umap.loadError} title="Could not load the map." />
    ) : (
      <Skeleton variant="rounded" height={CHART_H} aria-label="Loading the map" />
    )
  } else if (!hasPoints) {
    body = <EmptyMap running={props.running} />
  } else {
    const placeholder =
      projection === 'umap' && !view.hasUmap ? (
        <UmapPanel
          points={view.points.length}
          seed={exp.params.seed}
          job={umap.umapJob}
          startError={umap.startError}
          onStart={() => void umap.startUmap()}
          onCancel={() => void umap.cancelUmap()}
          size={PROJECTION_W}
        />
      ) : null
    body = (
      <>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
          The distance–cosine panel is exact: it plots the values stage 1 measured. The projection
          is not: it flattens {view.points.length.toLocaleString('en-US')} high-dimensional
          embeddings onto a plane. Hover or focus a point for its prompt, distance and cosine.
        </Typography>
        <MapLegend
          counts={view.counts}
          hidden={hidden}
          onToggle={onToggle}
          rings={
            projection === 'pca' && view.rings.length > 0
              ? { shown: rings, onToggle: () => setRings((r) => !r) }
              : null
          }
        />
        <Box sx={{ mt: 2 }}>
          <MapPanels
            ref={panels}
            view={view}
            projection={projection}
            hidden={hidden}
            showRings={showRings}
            placeholder={placeholder}
          />
        </Box>
        {exportError ? (
          <ErrorAlert error={exportError} title="Could not export the map." sx={{ mt: 2 }} />
        ) : null}
        <Typography
          variant="body2"
          role="status"
          color="text.secondary"
          sx={{ mt: 1, minHeight: 20 }}
        >
          {saved ? `Saved ${saved}` : ''}
        </Typography>
      </>
    )
  }

  return (
    <Paper variant="outlined" component="section" aria-labelledby="map-title" sx={{ p: 3 }}>
      <Stack direction="row" sx={{ alignItems: 'center', flexWrap: 'wrap', gap: 1.5, mb: 1 }}>
        <Typography variant="h2" id="map-title" sx={{ flex: 1, minWidth: 200 }}>
          Embedding map
        </Typography>
        {hasPoints ? (
          <>
            <ToggleButtonGroup
              size="small"
              exclusive
              value={projection}
              onChange={(_e, v: Projection | null) => {
                if (v) {
                  setProjection(v)
                  setSaved(null)
                }
              }}
              aria-label="Projection"
            >
              <ToggleButton value="pca">PCA</ToggleButton>
              <ToggleButton value="umap">UMAP</ToggleButton>
            </ToggleButtonGroup>
            <Button
              size="small"
              variant="outlined"
              startIcon={<DownloadIcon />}
              onClick={() => void exportAs('svg')}
              aria-label="Export the map as SVG"
            >
              SVG
            </Button>
            <Button
              size="small"
              variant="outlined"
              startIcon={<DownloadIcon />}
              onClick={() => void exportAs('png')}
              aria-label="Export the map as PNG"
            >
              PNG
            </Button>
          </>
        ) : null}
      </Stack>
      {body}
    </Paper>
  )
}
