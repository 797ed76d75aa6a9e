import DeleteIcon from '@mui/icons-material/DeleteOutlined'
import RenameIcon from '@mui/icons-material/DriveFileRenameOutlineOutlined'
import WarningIcon from '@mui/icons-material/WarningAmberOutlined'
import Button from '@mui/material/Button'
import Chip from '@mui/material/Chip'
import IconButton from '@mui/material/IconButton'
import Link from '@mui/material/Link'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableContainer from '@mui/material/TableContainer'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import Tooltip from '@mui/material/Tooltip'
import type { Project } from '../../../../shared/contract'
import { FolderPath } from '../../components/folder-path'
import { formatDateTime } from '../../components/format'
import { VisuallyHidden } from '../../components/visually-hidden'

export interface ProjectActions {
  readonly onOpen: (project: Project) => void
  readonly onRename: (project: Project) => void
  readonly onDelete: (project: Project) => void
}

function MissingChip(props: { project: Project }): React.JSX.Element {
  return (
    <Tooltip
      title={`The folder ${props.project.dir} is missing. Move it back, or delete the project from the list.`}
    >
      <Chip
        size="small"
        color="warning"
        variant="outlined"
        icon={<WarningIcon />}
        label="Missing folder"
        tabIndex={0}
      />
    </Tooltip>
  )
}

function ProjectRow(props: { project: Project } & ProjectActions): React.JSX.Element {
  const { project: p } = props
  return (
    <TableRow hover aria-label={p.name}>
      <TableCell sx={{ maxWidth: 280 }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', minWidth: 0 }}>
          <Link
            component="button"
            type="button"
            variant="body2"
            underline="hover"
            onClick={() => props.onOpen(p)}
            disabled={p.missing}
            sx={{
              fontWeight: 600,
              textAlign: 'left',
              overflow: 'hidden',
              textOverflow: 'ellipsis',
              whiteSpace: 'nowrap',
            }}
            color={p.missing ? 'text.secondary' : 'text.primary'}
          >
            {p.name}
          </Link>
          {p.missing ? <MissingChip project={p} /> : null}
        </Stack>
      </TableCell>
      <TableCell sx={{ maxWidth: 360 }}>
        <FolderPath path={p.dir} />
      </TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap', color: 'text.secondary' }}>
        {formatDateTime(p.createdAt)}
      </TableCell>
      <TableCell align="right" sx={{ whiteSpace: 'nowrap', py: 0.5 }}>
        <Button
          size="small"
          variant="outlined"
          onClick={() => props.onOpen(p)}
          disabled={p.missing}
          aria-label={`Open ${p.name}`}
          sx={{ mr: 1 }}
        >
          Open
        </Button>
        <Tooltip title="Rename">
          <IconButton
            size="small"
            aria-label={`Rename ${p.name}`}
            onClick={() => props.onRename(p)}
          >
            <RenameIcon fontSize="small" />
          </IconButton>
        </Tooltip>
        <Tooltip title="Delete">
          <IconButton
            size="small"
            aria-label={`Delete ${p.name}`}
            onClick={() => props.onDelete(p)}
          >
            <DeleteIcon fontSize="small" />
          </IconButton>
        </Tooltip>
      </TableCell>
    </TableRow>
  )
}

export function ProjectTable(
  props: { projects: readonly Project[] } & ProjectActions,
): React.JSX.Element {
  return (
    <TableContainer component={Paper} variant="outlined">
      <Table aria-label="Projects" sx={{ tableLayout: 'fixed' }}>
        <TableHead>
          <TableRow>
            <TableCell sx={{ width: '30%' }}>Name</TableCell>
            <TableCell>Folder</TableCell>
            <TableCell sx={{ width: 180 }}>Created</TableCell>
            <TableCell sx={{ width: 170 }} align="right">
              <VisuallyHidden>Actions</VisuallyHidden>
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.projects.map((p) => (
            <ProjectRow
              key={p.id}
              project={p}
              onOpen={props.onOpen}
              onRename={props.onRename}
              onDelete={props.onDelete}
            />
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  )
}
