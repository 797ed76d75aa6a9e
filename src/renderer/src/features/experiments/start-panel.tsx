import StartIcon from '@mui/icons-material/PlayArrowRounded'
import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Divider from '@mui/material/Divider'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { DefinitionList } from '../../components/definition-list'
import { ErrorAlert } from '../../components/error-alert'
import type { ExperimentForm, FormSummary } from './form-model'
import { variantShortLabels } from './table-model'

const count = (n: number | null, one: string, many: string): string =>
  n === null ? '—' : `${n.toLocaleString()} ${n === 1 ? one : many}`

/** What the run will do, what still needs fixing, and Start. */
export function StartPanel(props: {
  form: ExperimentForm
  modelName: string
  summary: FormSummary
  problems: readonly string[]
  busy: boolean
  startError: unknown
  onStart: () => void
}): React.JSX.Element {
  const { summary, form } = props
  const concepts = form.concepts
    .filter((c) => c.concept.trim() !== '')
    .map((c) => `${c.concept.trim()} → ${c.anchor.trim() || '(empty)'}`)
  return (
    <Paper
      variant="outlined"
      component="aside"
      aria-label="Run summary"
      sx={{ p: 2.5, position: 'sticky', top: 16, alignSelf: 'start' }}
    >
      <Stack spacing={2}>
        <Typography variant="h2">Run</Typography>
        <DefinitionList
          termWidth={112}
          items={[
            { term: 'Model', value: props.modelName || '—' },
            { term: 'Erase', value: concepts.length > 0 ? concepts.join(', ') : '—' },
            { term: 'Variant', value: variantShortLabels[form.params.variant] },
            {
              term: 'Prompts',
              value: count(summary.erasurePrompts, 'erasure prompt', 'erasure prompts'),
            },
            { term: 'Neighbors', value: count(summary.neighbors, 'point', 'points') },
            { term: 'Beyond', value: count(summary.beyond, 'point', 'points') },
            {
              term: 'Gallery',
              value: form.gallery.enabled ? count(summary.galleryImages, 'image', 'images') : 'Off',
            },
            { term: 'Evaluate', value: form.evaluate ? 'After erasing' : 'Off' },
          ]}
        />
        <Divider />
        {props.problems.length > 0 ? (
          <Alert severity="warning" variant="outlined" role="status" sx={{ py: 0.5 }}>
            <Typography variant="body2" sx={{ fontWeight: 600, mb: 0.5 }}>
              To start, fix:
            </Typography>
            <Stack component="ul" spacing={0.25} sx={{ m: 0, pl: 2 }}>
              {props.problems.slice(0, 6).map((p) => (
                <Typography component="li" variant="body2" key={p}>
                  {p}
                </Typography>
              ))}
            </Stack>
          </Alert>
        ) : null}
        <Button
          variant="contained"
          size="large"
          startIcon={<StartIcon />}
          onClick={props.onStart}
          disabled={props.busy || props.problems.length > 0}
        >
          {props.busy ? 'Starting…' : 'Start experiment'}
        </Button>
        <ErrorAlert error={props.startError} title="Could not start." />
        <Typography variant="caption" color="text.secondary">
          Progress opens on the experiment page, and under Jobs. Every parameter is saved with the
          run.
        </Typography>
      </Stack>
    </Paper>
  )
}
