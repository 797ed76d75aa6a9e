import AddIcon from '@mui/icons-material/Add'
import CompareIcon from '@mui/icons-material/CompareArrowsOutlined'
import ExperimentIcon from '@mui/icons-material/ScienceOutlined'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import type { Project } from '../../../../shared/contract'
import { useRouter } from '../../app/router'
import { useShortcut } from '../../app/use-shortcuts'
import { EmptyState } from '../../components/empty-state'
import { ErrorAlert } from '../../components/error-alert'
import { ExperimentFilters } from './experiment-filters'
import { ExperimentTable } from './experiment-table'
import type { FilterState, SortState } from './table-model'
import {
  anyMetrics,
  defaultSort,
  emptyFilter,
  filterExperiments,
  selectedInOrder,
  sortExperiments,
  toggleSort,
} from './table-model'
import { useExperiments } from './use-experiments'

/**
 * The project's experiments: a sortable, filterable table, "New experiment", and Compare for
 * the experiments ticked in the table.
 */
export function ExperimentsSection(props: { project: Project }): React.JSX.Element {
  const { project } = props
  const { experiments, loadError, reload } = useExperiments(project.id)
  const { navigate } = useRouter()
  const [sort, setSort] = useState<SortState>(defaultSort)
  const [filter, setFilter] = useState<FilterState>(emptyFilter)
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const newButton = (
    <Button
      variant="contained"
      startIcon={<AddIcon />}
      aria-keyshortcuts="N"
      onClick={() => navigate({ page: 'new-experiment', projectId: project.id })}
    >
      New experiment
    </Button>
  )
  const shown = experiments ? sortExperiments(filterExperiments(experiments, filter), sort) : []
  const compareIds = experiments
    ? selectedInOrder(sortExperiments(experiments, sort), selected)
    : []
  const compare =
    compareIds.length >= 2
      ? () => navigate({ page: 'compare', projectId: project.id, experimentIds: compareIds })
      : null
  useShortcut('compare', compare)
  const select = (ids: readonly string[], on: boolean): void =>
    setSelected((current) => {
      const next = new Set(current)
      for (const id of ids) {
        if (on) next.add(id)
        else next.delete(id)
      }
      return next
    })
  const compareButton = (
    <Button
      variant="outlined"
      startIcon={<CompareIcon />}
      disabled={compare === null}
      aria-keyshortcuts="C"
      onClick={compare ?? undefined}
    >
      Compare{compareIds.length > 0 ? ` (${compareIds.length})` : ''}
    </Button>
  )

  return (
    <Box component="section" aria-labelledby="experiments-title">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-end', mb: 1.5 }}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="h2" id="experiments-title">
            Experiments
          </Typography>
          <Typography variant="body2" color="text.secondary">
            Concept erasures with RealEra. Each keeps every parameter and its before/after gallery.
          </Typography>
        </Box>
        {experiments && experiments.length > 1 ? (
          <Stack sx={{ alignItems: 'flex-end' }}>{compareButton}</Stack>
        ) : null}
        {experiments && experiments.length > 0 ? newButton : null}
      </Stack>
      {loadError ? (
        <Stack spacing={2} sx={{ alignItems: 'flex-start' }}>
          <ErrorAlert
            error={loadError}
            title="Could not load the experiments."
            sx={{ alignSelf: 'stretch' }}
          />
          <Button onClick={reload}>Try again</Button>
        </Stack>
      ) : experiments === null ? (
        <Skeleton variant="rounded" height={120} aria-label="Loading experiments" />
      ) : experiments.length === 0 ? (
        <EmptyState icon={<ExperimentIcon />} title="No experiments yet" action={newButton}>
          An experiment erases a concept (an artist’s style, a person, an object) from one of this
          project’s models. RealEra maps the concept and the neighbors it mines around it onto an
          anchor with a closed-form edit of the cross-attention keys and values, then draws the same
          prompts before and after so you can compare.
        </EmptyState>
      ) : (
        <>
          <ExperimentFilters
            filter={filter}
            onChange={setFilter}
            shown={shown.length}
            total={experiments.length}
          />
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }} aria-live="polite">
            {compareIds.length === 0
              ? 'Tick two or more experiments to compare their parameters, results and galleries.'
              : compareIds.length === 1
                ? '1 experiment selected: tick another to compare.'
                : `${compareIds.length} experiments selected: press Compare (or C).`}
          </Typography>
          <ExperimentTable
            experiments={shown}
            sort={sort}
            onSort={(key) => setSort((s) => toggleSort(s, key))}
            selected={selected}
            onSelect={select}
            metrics={anyMetrics(experiments)}
            onOpen={(exp) =>
              navigate({ page: 'experiment', projectId: project.id, experimentId: exp.id })
            }
          />
        </>
      )}
    </Box>
  )
}
