import GalleryIcon from '@mui/icons-material/CompareOutlined'
import Box from '@mui/material/Box'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import type { Experiment, GalleryImage } from '../../../../shared/contract'
import { EmptyState } from '../../components/empty-state'
import { CompareDialog } from './compare-dialog'
import type { GalleryPair } from './gallery-model'
import { groupDescriptions, groupTitles, pairGallery, sectionSummary } from './gallery-model'
import { PairCard } from './pair-card'

/** The before/after gallery, grouped (erasure, probe, preserved), each pair opening a comparison. */
export function ExperimentGallery(props: {
  experiment: Experiment
  images: readonly GalleryImage[]
  running: boolean
  toUrl: (relPath: string) => string | null
}): React.JSX.Element {
  const sections = pairGallery(props.images)
  const pairs = sections.flatMap((s) => s.pairs)
  const [open, setOpen] = useState<number | null>(null)
  const openPair = (pair: GalleryPair): void => setOpen(pairs.findIndex((p) => p.key === pair.key))
  const enabled = props.experiment.gallery.enabled
  return (
    <Box component="section" aria-labelledby="gallery-title">
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'baseline', mb: 1.5 }}>
        <Typography variant="h2" id="gallery-title">
          Gallery
        </Typography>
        {props.images.length > 0 ? (
          <Typography variant="body2" color="text.secondary">
            {props.images.length} images in {pairs.length} pairs
            {props.running ? ', more on the way' : ''}
          </Typography>
        ) : null}
      </Stack>
      {sections.length === 0 ? (
        <EmptyState icon={<GalleryIcon />} title={enabled ? 'No images yet' : 'Gallery turned off'}>
          {!enabled
            ? 'This run skipped the gallery. Duplicate it with the gallery on to compare images.'
            : props.running
              ? 'Each prompt is drawn by the original and the erased model with the same seeds. Pairs appear here as they are drawn.'
              : 'No images were drawn: the run ended before its gallery stage.'}
        </EmptyState>
      ) : (
        <Stack spacing={3}>
          {sections.map((s) => (
            <Box key={s.group} component="section" aria-labelledby={`group-${s.group}`}>
              <Stack direction="row" spacing={1.5} sx={{ alignItems: 'baseline' }}>
                <Typography variant="h3" id={`group-${s.group}`}>
                  {groupTitles[s.group]}
                </Typography>
                <Typography variant="caption" color="text.secondary">
                  {sectionSummary(s)}
                </Typography>
              </Stack>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 1.25 }}>
                {groupDescriptions[s.group]}
              </Typography>
              <Box
                component="ul"
                aria-label={`${groupTitles[s.group]} pairs`}
                sx={{
                  display: 'grid',
                  gridTemplateColumns: 'repeat(auto-fill, minmax(250px, 1fr))',
                  gap: 2,
                  m: 0,
                  p: 0,
                }}
              >
                {s.pairs.map((pair) => (
                  <PairCard key={pair.key} pair={pair} toUrl={props.toUrl} onOpen={openPair} />
                ))}
              </Box>
            </Box>
          ))}
        </Stack>
      )}
      {open !== null ? (
        <CompareDialog
          pairs={pairs}
          index={open}
          onIndex={setOpen}
          toUrl={props.toUrl}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </Box>
  )
}
