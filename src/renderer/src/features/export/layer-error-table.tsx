import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import LinearProgress from '@mui/material/LinearProgress'
import Stack from '@mui/material/Stack'
import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import Typography from '@mui/material/Typography'
import type { ExportOptions, ExportPreview } from '../../../../shared/contract'
import { monoFontStack } from '../../app/theme'
import { ErrorAlert } from '../../components/error-alert'
import { formatBytes } from '../../components/format-bytes'
import { errorHint, formatRelError, isLargeError } from './model'

/** The preview: each edited layer's rank and relative error, the worst one, and the size. */
export function LayerErrorTable(props: {
  preview: ExportPreview | null
  previewFor: ExportOptions | null
  loading: boolean
  error: unknown
}): React.JSX.Element {
  const { preview, previewFor } = props
  const hint = preview && previewFor ? errorHint(preview, previewFor) : null
  const merged = previewFor?.format === 'merged'
  return (
    <Stack
      spacing={1.25}
      component="section"
      aria-labelledby="layer-errors-title"
      sx={{ minWidth: 0 }}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline' }}>
        <Typography variant="subtitle2" id="layer-errors-title" sx={{ flex: 1 }}>
          Error per layer
        </Typography>
        {preview ? (
          <Typography variant="caption" color="text.secondary" role="status">
            max {formatRelError(preview.maxRelError)}
            {merged ? '' : ` · about ${formatBytes(preview.bytes)}`}
          </Typography>
        ) : null}
      </Stack>
      <Box sx={{ height: 4 }}>
        {props.loading ? (
          <LinearProgress aria-label="Updating the preview" sx={{ height: 4 }} />
        ) : null}
      </Box>
      <ErrorAlert error={props.error} title="Could not compute the preview." />
      {hint ? (
        <Alert severity="warning" role="status">
          {hint}
        </Alert>
      ) : preview && merged ? (
        <Alert severity="success" variant="outlined" role="status">
          Exact: the edit is written into a copy of the U-Net, nothing is approximated.
        </Alert>
      ) : null}
      <Box
        sx={{
          maxHeight: 340,
          overflowY: 'auto',
          border: 1,
          borderColor: 'divider',
          borderRadius: 1,
          opacity: props.loading ? 0.6 : 1,
        }}
      >
        <Table size="small" stickyHeader aria-label="Relative error per layer">
          <TableHead>
            <TableRow>
              <TableCell>Layer</TableCell>
              <TableCell align="right">Rank</TableCell>
              <TableCell align="right">Rel. error</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {(preview?.layers ?? []).map((l) => (
              <TableRow key={l.path}>
                <TableCell
                  sx={{ fontFamily: monoFontStack, fontSize: '0.75rem', overflowWrap: 'anywhere' }}
                >
                  {l.path}
                </TableCell>
                <TableCell align="right">{l.rank}</TableCell>
                <TableCell
                  align="right"
                  sx={{
                    whiteSpace: 'nowrap',
                    color: isLargeError(l.relError) ? 'warning.main' : undefined,
                    fontWeight: isLargeError(l.relError) ? 600 : undefined,
                  }}
                >
                  {formatRelError(l.relError)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {!preview && !props.error ? (
          <Typography variant="body2" color="text.secondary" sx={{ p: 2 }}>
            Computing the error of each layer…
          </Typography>
        ) : null}
      </Box>
    </Stack>
  )
}
