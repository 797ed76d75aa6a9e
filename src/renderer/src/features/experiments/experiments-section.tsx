import AddIcon from '@mui/icons-material/Add'
import ExperimentIcon from '@mui/icons-material/ScienceOutlined'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import type { Project } from '../../../../shared/contract'
import { useRouter } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { ErrorAlert } from '../../components/error-alert'
import { ExperimentFilters } from './experiment-filters'
import { ExperimentTable } from './experiment-table'
import type { FilterState, SortState } from './table-model'
import {
  defaultSort,
  emptyFilter,
  filterExperiments,
  sortExperiments,
  toggleSort,
} from './table-model'
import { useExperiments } from './use-experiments'

/** The project's experiments: a sortable, filterable table and "New experiment". */
export function ExperimentsSection(props: { project: Project }): React.JSX.Element {
  const { project } = props
  const { experiments, loadError, reload } = useExperiments(project.id)
  const { navigate } = useRouter()
  const [sort, setSort] = useState<SortState>(defaultSort)
  const [filter, setFilter] = useState<FilterState>(emptyFilter)
  const newButton = (
    <Button
      variant="contained"
      startIcon={<AddIcon />}
      onClick={() => navigate({ page: 'new-experiment', projectId: project.id })}
    >
      New experiment
    </Button>
  )
  const shown = experiments ? sortExperiments(filterExperiments(experiments, filter), sort) : []

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
          <ExperimentTable
            experiments={shown}
            sort={sort}
            onSort={(key) => setSort((s) => toggleSort(s, key))}
            onOpen={(exp) =>
              navigate({ page: 'experiment', projectId: project.id, experimentId: exp.id })
            }
          />
        </>
      )}
    </Box>
  )
}
