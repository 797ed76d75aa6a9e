import Checkbox from '@mui/material/Checkbox'
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
import { conceptsText, scoreText, variantShortLabels } from './table-model'

interface Column {
  readonly key: SortKey
  readonly label: string
  /** Spoken name when the label is a symbol. */
  readonly title?: string
  readonly numeric?: boolean
  /** Fixed width in px; name and concepts share what is left. */
  readonly width?: number
}

const leading: readonly Column[] = [
  { key: 'number', label: '#', title: 'Number', numeric: true, width: 44 },
  { key: 'name', label: 'Name' },
  { key: 'concepts', label: 'Concepts' },
  { key: 'variant', label: 'Variant', width: 124 },
  { key: 'status', label: 'Status', width: 116 },
  { key: 'm', label: 'M', title: 'M, neighbor samples', numeric: true, width: 56 },
  { key: 'n', label: 'N', title: 'N, beyond samples', numeric: true, width: 48 },
]

const boundColumns: readonly Column[] = [
  { key: 'd1', label: 'D1', title: 'D1, neighborhood radius', numeric: true, width: 48 },
  { key: 's1', label: 'S1', title: 'S1, upper cosine bound', numeric: true, width: 48 },
  { key: 's2', label: 'S2', title: 'S2, lower cosine bound', numeric: true, width: 48 },
  { key: 'lambda1', label: 'λ1', title: 'λ1, preservation weight', numeric: true, width: 48 },
]

/** Scores in percent; they take the place of the bounds (the comparison shows every value). */
const metricColumns: readonly Column[] = [
  {
    key: 'ho',
    label: 'H_o',
    title: 'H_o, harmonic mean (higher is better)',
    numeric: true,
    width: 56,
  },
  {
    key: 'accE',
    label: 'Acc_e',
    title: 'Acc_e, erasure accuracy (lower is better)',
    numeric: true,
    width: 60,
  },
  {
    key: 'accS',
    label: 'Acc_s',
    title: 'Acc_s, preservation accuracy (higher is better)',
    numeric: true,
    width: 60,
  },
  {
    key: 'accG',
    label: 'Acc_g',
    title: 'Acc_g, generalization accuracy (lower is better)',
    numeric: true,
    width: 60,
  },
]

const created: Column = { key: 'createdAt', label: 'Created', width: 112 }

const columnsFor = (metrics: boolean): readonly Column[] => [
  ...leading,
  ...(metrics ? metricColumns : boundColumns),
  created,
]

const shortDate = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

const ellipsis = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const

function Row(props: {
  exp: Experiment
  metrics: boolean
  selected: boolean
  onSelect: (exp: Experiment, selected: boolean) => void
  onOpen: (exp: Experiment) => void
}): React.JSX.Element {
  const { exp } = props
  const p = exp.params
  const m = exp.metrics
  const concepts = conceptsText(exp)
  const numbers: readonly (number | string)[] = props.metrics
    ? [scoreText(m?.ho), scoreText(m?.accE), scoreText(m?.accS), scoreText(m?.accG)]
    : [p.d1, p.s1, p.s2, p.lambda1]
  return (
    <TableRow
      hover
      selected={props.selected}
      aria-label={`Experiment ${exp.number}: ${exp.name}`}
      onClick={() => props.onOpen(exp)}
      sx={{ cursor: 'pointer' }}
    >
      <TableCell padding="checkbox" onClick={(e) => e.stopPropagation()}>
        <Checkbox
          size="small"
          checked={props.selected}
          onChange={(_, checked) => props.onSelect(exp, checked)}
          slotProps={{ input: { 'aria-label': `Select experiment ${exp.number}: ${exp.name}` } }}
        />
      </TableCell>
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
      {[p.m, p.n, ...numbers].map((v, i) => (
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

/**
 * The project's experiments, one row each; every column header sorts, and a checkbox per row
 * chooses experiments to compare. Evaluation scores replace the bounds once any run has them.
 */
export function ExperimentTable(props: {
  experiments: readonly Experiment[]
  sort: SortState
  onSort: (key: SortKey) => void
  onOpen: (exp: Experiment) => void
  selected: ReadonlySet<string>
  onSelect: (ids: readonly string[], selected: boolean) => void
  /** Show H_o and the accuracies (some experiment of the project has them). */
  metrics: boolean
}): React.JSX.Element {
  const { sort } = props
  const columns = columnsFor(props.metrics)
  const shownSelected = props.experiments.filter((e) => props.selected.has(e.id)).length
  const all = props.experiments.length > 0 && shownSelected === props.experiments.length
  return (
    <TableContainer component={Paper} variant="outlined">
      <Table
        aria-label="Experiments"
        size="small"
        sx={{
          tableLayout: 'fixed',
          '& th, & td': { px: 1 },
          '& td': { fontSize: '0.8125rem' },
          '& th:first-of-type, & td:first-of-type': { pl: 1 },
        }}
      >
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox" sx={{ width: 44 }}>
              <Checkbox
                size="small"
                checked={all}
                indeterminate={shownSelected > 0 && !all}
                disabled={props.experiments.length === 0}
                onChange={(_, checked) =>
                  props.onSelect(
                    props.experiments.map((e) => e.id),
                    checked,
                  )
                }
                slotProps={{ input: { 'aria-label': 'Select all shown experiments' } }}
              />
            </TableCell>
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
            <Row
              key={exp.id}
              exp={exp}
              metrics={props.metrics}
              selected={props.selected.has(exp.id)}
              onSelect={(e, checked) => props.onSelect([e.id], checked)}
              onOpen={props.onOpen}
            />
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
