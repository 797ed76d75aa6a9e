import Alert from '@mui/material/Alert'
import type { ExportRecord } from '../../../../shared/contract'
import { DefinitionList } from '../../components/definition-list'
import { formatBytes } from '../../components/format-bytes'
import { formatLabels } from './model'

/** What the export wrote: where, how big, and its checksum. */
export function ExportResult(props: { record: ExportRecord }): React.JSX.Element {
  const r = props.record
  return (
    <Alert
      severity="success"
      role="status"
      sx={{ '& .MuiAlert-message': { flex: 1, minWidth: 0 } }}
    >
      <strong>Saved: {formatLabels[r.format]}</strong>
      <DefinitionList
        label="Saved export"
        termWidth={80}
        items={[
          { term: 'Path', value: r.path, mono: true },
          { term: 'Size', value: formatBytes(r.bytes) },
          { term: 'SHA-256', value: r.sha256, mono: true },
        ]}
      />
    </Alert>
  )
}
