import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import type { ExportRecord } from '../../../../shared/contract'
import { monoFontStack } from '../../app/theme'
import { ErrorAlert } from '../../components/error-alert'
import { FolderPath } from '../../components/folder-path'
import { formatDateTime } from '../../components/format'
import { formatBytes } from '../../components/format-bytes'
import { formatLabels, formatRelError, shortHash } from './model'

/** Earlier exports of this experiment, newest first. */
export function ExportHistory(props: {
  exports: readonly ExportRecord[] | null
  loadError: unknown
}): React.JSX.Element {
  const list = props.exports
  return (
    <section aria-labelledby="export-history-title">
      <Typography variant="subtitle2" id="export-history-title" sx={{ mb: 1 }}>
        Previous exports
      </Typography>
      <ErrorAlert error={props.loadError} title="Could not list the exports." />
      {list && list.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          None yet. Each export is listed here with its path, size and checksum.
        </Typography>
      ) : null}
      {list && list.length > 0 ? (
        <Table size="small" aria-label="Previous exports" sx={{ tableLayout: 'fixed' }}>
          <TableHead>
            <TableRow>
              <TableCell sx={{ width: 120 }}>Format</TableCell>
              <TableCell sx={{ width: 90 }}>Rank</TableCell>
              <TableCell>Path</TableCell>
              <TableCell sx={{ width: 90 }} align="right">
                Size
              </TableCell>
              <TableCell sx={{ width: 110 }}>Checksum</TableCell>
              <TableCell sx={{ width: 160 }}>Saved</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {list.map((r) => {
              const worst = Math.max(0, ...r.layers.map((l) => l.relError))
              return (
                <TableRow key={r.id}>
                  <TableCell>{formatLabels[r.format]}</TableCell>
                  <TableCell>
                    <Tooltip title={`Max relative error ${formatRelError(worst)}, ${r.dtype}`}>
                      <span>{r.rank === null ? 'full' : r.rank}</span>
                    </Tooltip>
                  </TableCell>
                  <TableCell sx={{ minWidth: 0 }}>
                    <FolderPath path={r.path} color="text.primary" />
                  </TableCell>
                  <TableCell align="right">{formatBytes(r.bytes)}</TableCell>
                  <TableCell>
                    <Tooltip title={r.sha256}>
                      <Typography
                        variant="body2"
                        noWrap
                        sx={{ fontFamily: monoFontStack, fontSize: '0.75rem' }}
                      >
                        {shortHash(r.sha256)}
                      </Typography>
                    </Tooltip>
                  </TableCell>
                  <TableCell sx={{ color: 'text.secondary' }}>
                    {formatDateTime(r.createdAt)}
                  </TableCell>
                </TableRow>
              )
            })}
          </TableBody>
        </Table>
      ) : null}
    </section>
  )
}
