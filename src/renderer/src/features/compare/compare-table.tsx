import BestIcon from '@mui/icons-material/EmojiEventsOutlined'
import Box from '@mui/material/Box'
import Link from '@mui/material/Link'
import Paper from '@mui/material/Paper'
import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableContainer from '@mui/material/TableContainer'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import Tooltip from '@mui/material/Tooltip'
import { alpha } from '@mui/material/styles'
import type { Experiment } from '../../../../shared/contract'
import { VisuallyHidden } from '../../components/visually-hidden'
import type { CompareCell, CompareRow, CompareSection } from './compare-model'
import { columnTitle } from './compare-model'

const betterText = { higher: 'higher is better', lower: 'lower is better' } as const

function RowHeader(props: { row: CompareRow }): React.JSX.Element {
  const { row } = props
  const label = (
    <Box component="span" sx={{ fontWeight: row.differs ? 600 : 500 }}>
      {row.label}
    </Box>
  )
  return (
    <TableCell component="th" scope="row" sx={{ color: 'text.primary' }}>
      {row.hint ? (
        <Tooltip title={row.hint} placement="right" describeChild>
          <span>{label}</span>
        </Tooltip>
      ) : (
        label
      )}
      {row.better ? (
        <Box
          component="span"
          sx={{ display: 'block', color: 'text.secondary', fontSize: '0.75rem' }}
        >
          {betterText[row.better]}
        </Box>
      ) : null}
      {row.differs ? <VisuallyHidden>, differs</VisuallyHidden> : null}
    </TableCell>
  )
}

function ValueCell(props: { cell: CompareCell }): React.JSX.Element {
  const { cell } = props
  return (
    <TableCell
      sx={{
        color: cell.unused ? 'text.disabled' : undefined,
        fontWeight: cell.best ? 700 : undefined,
        overflowWrap: 'anywhere',
      }}
      title={cell.unused ? 'Not used by this variant' : undefined}
    >
      {cell.best ? (
        <BestIcon
          aria-hidden
          sx={{ fontSize: 16, color: 'success.main', verticalAlign: 'text-bottom', mr: 0.5 }}
        />
      ) : null}
      {cell.text}
      {cell.unused ? ' (unused)' : null}
      {cell.best ? <VisuallyHidden> (best)</VisuallyHidden> : null}
    </TableCell>
  )
}

/**
 * Rows of settings or results, one column per experiment. A row whose values differ is
 * highlighted; with `mergeSame`, a row whose values are all equal shows its value once across
 * the columns, so the differences stand out.
 */
export function CompareTable(props: {
  label: string
  experiments: readonly Experiment[]
  sections: readonly CompareSection[]
  mergeSame: boolean
  onOpen: (exp: Experiment) => void
}): React.JSX.Element {
  const n = props.experiments.length
  return (
    <TableContainer component={Paper} variant="outlined" sx={{ position: 'relative' }}>
      <Table
        aria-label={props.label}
        size="small"
        sx={{
          tableLayout: 'fixed',
          '& td, & th': { fontSize: '0.8125rem', verticalAlign: 'top' },
        }}
      >
        <TableHead>
          <TableRow>
            <TableCell sx={{ width: 200 }}>Setting</TableCell>
            {props.experiments.map((e) => (
              <TableCell key={e.id} scope="col">
                <Link
                  component="button"
                  type="button"
                  variant="inherit"
                  underline="hover"
                  onClick={() => props.onOpen(e)}
                  title={`Open experiment ${e.number}`}
                  sx={{ fontWeight: 600, textAlign: 'left', overflowWrap: 'anywhere' }}
                >
                  {columnTitle(e)}
                </Link>
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        {props.sections.map((section) => (
          <TableBody key={section.id}>
            <TableRow>
              <TableCell
                component="th"
                scope="rowgroup"
                colSpan={n + 1}
                sx={{
                  bgcolor: 'action.hover',
                  fontWeight: 600,
                  textTransform: 'uppercase',
                  letterSpacing: '0.06em',
                  fontSize: '0.75rem !important',
                  color: 'text.secondary',
                }}
              >
                {section.title}
              </TableCell>
            </TableRow>
            {section.rows.map((row) => (
              <TableRow
                key={row.key}
                data-differs={row.differs || undefined}
                sx={
                  row.differs
                    ? {
                        bgcolor: (t) => alpha(t.palette.warning.main, 0.09),
                        '& > th:first-of-type': {
                          boxShadow: (t) => `inset 3px 0 0 ${t.palette.warning.main}`,
                        },
                      }
                    : undefined
                }
              >
                <RowHeader row={row} />
                {props.mergeSame && !row.differs && n > 1 ? (
                  <TableCell colSpan={n} sx={{ color: 'text.secondary', overflowWrap: 'anywhere' }}>
                    {row.cells[0]?.text}
                    {row.cells.every((c) => c.unused) ? ' (unused)' : null}
                    <VisuallyHidden> (all the same)</VisuallyHidden>
                  </TableCell>
                ) : (
                  row.cells.map((cell, i) => <ValueCell key={i} cell={cell} />)
                )}
              </TableRow>
            ))}
          </TableBody>
        ))}
      </Table>
    </TableContainer>
  )
}
