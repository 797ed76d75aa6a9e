import GalleryIcon from '@mui/icons-material/PhotoLibraryOutlined'
import Box from '@mui/material/Box'
import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { ImageInfo, Model } from '../../../../shared/contract'
import { EmptyState } from '../../components/empty-state'
import { ErrorAlert } from '../../components/error-alert'
import type { ToMediaUrl } from '../../components/media-context'
import { GalleryTile } from './gallery-tile'
import { modelNameFor } from './model'

/** The project's images, newest first. */
export function Gallery(props: {
  projectId: string
  images: readonly ImageInfo[] | null
  loadError: unknown
  models: readonly Model[]
  toUrl: ToMediaUrl
  onOpen: (image: ImageInfo) => void
}): React.JSX.Element {
  const { images } = props
  return (
    <Box component="section" aria-labelledby="gallery-title">
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'baseline', mb: 1.5 }}>
        <Typography variant="h2" id="gallery-title">
          Gallery
        </Typography>
        {images && images.length > 0 ? (
          <Typography variant="body2" color="text.secondary">
            {images.length === 1 ? '1 image' : `${images.length} images`}, newest first
          </Typography>
        ) : null}
      </Stack>
      <ErrorAlert error={props.loadError} title="Could not load the images." sx={{ mb: 2 }} />
      {images === null ? (
        props.loadError ? null : (
          <Skeleton variant="rounded" height={200} aria-label="Loading images" />
        )
      ) : images.length === 0 ? (
        <EmptyState icon={<GalleryIcon />} title="No images yet">
          Images you generate in this project are listed here, newest first, with the settings that
          made them. They are saved in the project folder under images/.
        </EmptyState>
      ) : (
        <Box
          component="ul"
          aria-label="Images"
          sx={{
            display: 'grid',
            gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))',
            gap: 2,
            m: 0,
            p: 0,
          }}
        >
          {images.map((image) => (
            <GalleryTile
              key={image.id}
              image={image}
              src={props.toUrl(props.projectId, image.path)}
              modelName={modelNameFor(image, props.models)}
              onOpen={props.onOpen}
            />
          ))}
        </Box>
      )}
    </Box>
  )
}
