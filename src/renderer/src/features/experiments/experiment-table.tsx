import Link from '@mui/material/Link'
import Paper from '@mui/material/Paper'
import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableContainer from '@mui/material/TableContainer'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import TableSortLabel from '@mui/material/TableSortLabel'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import type { Experiment } from '../../../../shared/contract'
import { variantLabels } from '../../../../shared/contract'
import { formatDateTime } from '../../components/format'
import { ExperimentStatusChip } from './experiment-status-chip'
import type { SortKey, SortState } from './table-model'
import { conceptsText, variantShortLabels } from './table-model'

interface Column {
  readonly key: SortKey
  readonly label: string
  /** Spoken name when the label is a symbol. */
  readonly title?: string
  readonly numeric?: boolean
  /** Fixed width in px; name and concepts share what is left. */
  readonly width?: number
}

const columns: readonly Column[] = [
  { key: 'number', label: '#', title: 'Number', numeric: true, width: 44 },
  { key: 'name', label: 'Name' },
  { key: 'concepts', label: 'Concepts' },
  { key: 'variant', label: 'Variant', width: 124 },
  { key: 'status', label: 'Status', width: 116 },
  { key: 'm', label: 'M', title: 'M, neighbor samples', numeric: true, width: 56 },
  { key: 'n', label: 'N', title: 'N, beyond samples', numeric: true, width: 48 },
  { key: 'd1', label: 'D1', title: 'D1, neighborhood radius', numeric: true, width: 48 },
  { key: 's1', label: 'S1', title: 'S1, upper cosine bound', numeric: true, width: 48 },
  { key: 's2', label: 'S2', title: 'S2, lower cosine bound', numeric: true, width: 48 },
  { key: 'lambda1', label: 'λ1', title: 'λ1, preservation weight', numeric: true, width: 48 },
  { key: 'createdAt', label: 'Created', width: 112 },
]

const shortDate = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

const ellipsis = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const

function Row(props: { exp: Experiment; onOpen: (exp: Experiment) => void }): React.JSX.Element {
  const { exp } = props
  const p = exp.params
  const concepts = conceptsText(exp)
  return (
    <TableRow
      hover
      aria-label={`Experiment ${exp.number}: ${exp.name}`}
      onClick={() => props.onOpen(exp)}
      sx={{ cursor: 'pointer' }}
    >
      <TableCell align="right" sx={{ color: 'text.secondary' }}>
        {exp.number}
      </TableCell>
      <TableCell sx={ellipsis}>
        <Link
          component="button"
          type="button"
          variant="inherit"
          underline="hover"
          color="text.primary"
          onClick={(e) => {
            e.stopPropagation()
            props.onOpen(exp)
          }}
          title={exp.name}
          sx={{
            fontWeight: 600,
            textAlign: 'left',
            display: 'block',
            maxWidth: '100%',
            ...ellipsis,
          }}
        >
          {exp.name}
        </Link>
      </TableCell>
      <TableCell sx={{ ...ellipsis, color: 'text.secondary' }} title={concepts}>
        {concepts}
      </TableCell>
      <TableCell sx={ellipsis}>
        <Tooltip title={variantLabels[p.variant]}>
          <span>{variantShortLabels[p.variant]}</span>
        </Tooltip>
      </TableCell>
      <TableCell>
        <ExperimentStatusChip status={exp.status} />
      </TableCell>
      {([p.m, p.n, p.d1, p.s1, p.s2, p.lambda1] as const).map((v, i) => (
        <TableCell key={i} align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
          {v}
        </TableCell>
      ))}
      <TableCell
        sx={{ ...ellipsis, color: 'text.secondary' }}
        title={formatDateTime(exp.createdAt)}
      >
        {shortDate.format(new Date(exp.createdAt))}
      </TableCell>
    </TableRow>
  )
}

/** The project's experiments, one row each; every column header sorts. */
export function ExperimentTable(props: {
  experiments: readonly Experiment[]
  sort: SortState
  onSort: (key: SortKey) => void
  onOpen: (exp: Experiment) => void
}): React.JSX.Element {
  const { sort } = props
  return (
    <TableContainer component={Paper} variant="outlined">
      <Table
        aria-label="Experiments"
        size="small"
        sx={{
          tableLayout: 'fixed',
          '& th, & td': { px: 1 },
          '& td': { fontSize: '0.8125rem' },
          '& th:first-of-type, & td:first-of-type': { pl: 2 },
        }}
      >
        <TableHead>
          <TableRow>
            {columns.map((c) => {
              const active = sort.key === c.key
              return (
                <TableCell
                  key={c.key}
                  align={c.numeric ? 'right' : 'left'}
                  sortDirection={active ? sort.direction : false}
                  sx={{ width: c.width }}
                >
                  <TableSortLabel
                    active={active}
                    direction={active ? sort.direction : 'asc'}
                    onClick={() => props.onSort(c.key)}
                    hideSortIcon
                    aria-label={`Sort by ${c.title ?? c.label}`}
                  >
                    {c.label}
                  </TableSortLabel>
                </TableCell>
              )
            })}
          </TableRow>
        </TableHead>
        <TableBody>
          {props.experiments.map((exp) => (
            <Row key={exp.id} exp={exp} onOpen={props.onOpen} />
          ))}
        </TableBody>
      </Table>
      {props.experiments.length === 0 ? (
        <Typography variant="body2" color="text.secondary" sx={{ p: 3, textAlign: 'center' }}>
          No experiment matches the filters.
        </Typography>
      ) : null}
    </TableContainer>
  )
}
