import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import type { ExportRecord } from '../../../../shared/contract'
import { DefinitionList } from '../../components/definition-list'
import { formatBytes } from '../../components/format-bytes'
import { ShowInFolderButton } from '../../components/show-in-folder-button'
import { formatLabels } from './model'

/** What the export wrote: where, how big, and its checksum; on the desktop, Show in folder. */
export function ExportResult(props: {
  projectId: string
  record: ExportRecord
}): React.JSX.Element {
  const r = props.record
  return (
    <Alert
      severity="success"
      role="status"
      sx={{ '& .MuiAlert-message': { flex: 1, minWidth: 0 } }}
    >
      <strong>Saved: {formatLabels[r.format]}</strong>
      <Box sx={{ mt: 0.75 }}>
        <DefinitionList
          label="Saved export"
          termWidth={80}
          items={[
            { term: 'Path', value: r.path, mono: true },
            { term: 'Size', value: formatBytes(r.bytes) },
            { term: 'SHA-256', value: r.sha256, mono: true },
          ]}
        />
      </Box>
      <ShowInFolderButton projectId={props.projectId} target={{ kind: 'export', exportId: r.id }} />
    </Alert>
  )
}
