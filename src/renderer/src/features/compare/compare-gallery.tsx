import GalleryIcon from '@mui/icons-material/CompareOutlined'
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import type { Experiment } from '../../../../shared/contract'
import { EmptyState } from '../../components/empty-state'
import { ErrorAlert } from '../../components/error-alert'
import { groupDescriptions, groupTitles } from '../experiments/gallery-model'
import type { CompareTriple } from './compare-gallery-model'
import {
  galleryVerdict,
  gallerySettingsDifference,
  matchedCount,
  tripleGallery,
} from './compare-gallery-model'
import type { TripleLabels } from './triple-card'
import { TripleCard } from './triple-card'
import { useGalleries } from './use-galleries'
import { ZoomDialog } from './zoom-dialog'

function Title(props: { children?: React.ReactNode }): React.JSX.Element {
  return (
    <Stack direction="row" spacing={1.5} sx={{ alignItems: 'baseline', mb: 1.5 }}>
      <Typography variant="h2" id="compare-gallery-title">
        Galleries side by side
      </Typography>
      {props.children}
    </Stack>
  )
}

function Triples(props: {
  projectId: string
  a: Experiment
  b: Experiment
  toUrl: (relPath: string) => string | null
}): React.JSX.Element {
  const { a, b } = props
  const refresh = `${a.status}/${a.finishedAt}/${b.status}/${b.finishedAt}`
  const { galleries, loadError } = useGalleries(props.projectId, [a.id, b.id], refresh)
  const [open, setOpen] = useState<number | null>(null)
  const labels: TripleLabels = {
    original: 'Original',
    a: `#${a.number} erased`,
    b: `#${b.number} erased`,
  }
  if (loadError) return <ErrorAlert error={loadError} title="Could not load the galleries." />
  if (!galleries) return <Skeleton variant="rounded" height={200} aria-label="Loading galleries" />
  const sections = tripleGallery(galleries[0] ?? [], galleries[1] ?? [])
  const all = sections.flatMap((s) => s.triples)
  const openTriple = (t: CompareTriple): void => setOpen(all.findIndex((x) => x.key === t.key))
  if (sections.length === 0) {
    return (
      <EmptyState icon={<GalleryIcon />} title="No images to compare">
        Neither experiment drew a gallery: it was turned off, or the runs ended before it. Duplicate
        one of them with the gallery on, then compare again.
      </EmptyState>
    )
  }
  const settings = gallerySettingsDifference(a, b)
  const matched = matchedCount(sections)
  return (
    <>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
        Each card shows the original model’s image, then experiment #{a.number}’s and #{b.number}’s
        erased images for the same prompt and seed. {matched} of {all.length} prompt and seed pairs
        were drawn by both. Open a card to zoom in.
      </Typography>
      {settings ? (
        <Alert severity="info" sx={{ mb: 2 }}>
          The galleries were drawn with different settings ({settings}), so the same seed gives
          different pictures; the original shown is experiment #{a.number}’s.
        </Alert>
      ) : null}
      <Stack spacing={3}>
        {sections.map((s) => (
          <Box key={s.group} component="section" aria-labelledby={`compare-group-${s.group}`}>
            <Typography variant="h3" id={`compare-group-${s.group}`}>
              {groupTitles[s.group]}
            </Typography>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1.25 }}>
              {groupDescriptions[s.group]}
            </Typography>
            <Box
              component="ul"
              aria-label={`${groupTitles[s.group]} side by side`}
              sx={{
                display: 'grid',
                gridTemplateColumns: 'repeat(auto-fill, minmax(330px, 1fr))',
                gap: 2,
                m: 0,
                p: 0,
              }}
            >
              {s.triples.map((t) => (
                <TripleCard
                  key={t.key}
                  triple={t}
                  labels={labels}
                  toUrl={props.toUrl}
                  onOpen={openTriple}
                />
              ))}
            </Box>
          </Box>
        ))}
      </Stack>
      {open !== null ? (
        <ZoomDialog
          triples={all}
          index={open}
          labels={labels}
          onIndex={setOpen}
          toUrl={props.toUrl}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </>
  )
}

/**
 * Two experiments of one model: their galleries matched by prompt and seed. Any other choice
 * says why there is nothing to show.
 */
export function CompareGallery(props: {
  projectId: string
  experiments: readonly Experiment[]
  toUrl: (relPath: string) => string | null
}): React.JSX.Element {
  const verdict = galleryVerdict(props.experiments)
  return (
    <Box component="section" aria-labelledby="compare-gallery-title">
      <Title />
      {verdict.ok ? (
        <Triples
          key={`${verdict.a.id}/${verdict.b.id}`}
          projectId={props.projectId}
          a={verdict.a}
          b={verdict.b}
          toUrl={props.toUrl}
        />
      ) : (
        <EmptyState icon={<GalleryIcon />} title="Galleries not shown">
          {verdict.reason}
        </EmptyState>
      )}
    </Box>
  )
}
