import EvaluateIcon from '@mui/icons-material/FactCheckOutlined'
import CancelIcon from '@mui/icons-material/StopCircleOutlined'
import SettingsIcon from '@mui/icons-material/TuneOutlined'
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Collapse from '@mui/material/Collapse'
import LinearProgress from '@mui/material/LinearProgress'
import MenuItem from '@mui/material/MenuItem'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import type { Experiment, ExperimentMetrics, JobSnapshot } from '../../../../shared/contract'
import { isTerminal } from '../../../../shared/contract'
import { DefinitionList } from '../../components/definition-list'
import { ErrorAlert } from '../../components/error-alert'
import { formatDateTime } from '../../components/format'
import type { EvaluateForm } from './metrics-model'
import {
  colorOptions,
  conceptLabel,
  countsText,
  defaultEvaluateForm,
  evaluateAvailability,
  evaluateInput,
  evaluationProgress,
  generationText,
  isColor,
  isShape,
  lastOutcome,
  metricViews,
  seedsText,
  settingsSummary,
  shapeOptions,
} from './metrics-model'
import type { StageClock } from './stages-model'
import { nextStageClock } from './stages-model'
import { useEvaluation } from './use-evaluation'

function MetricTiles(props: { metrics: ExperimentMetrics }): React.JSX.Element {
  return (
    <Box
      component="ul"
      aria-label="Metrics"
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: 'repeat(2, minmax(0, 1fr))', md: 'repeat(4, minmax(0, 1fr))' },
        gap: 2,
        listStyle: 'none',
        m: 0,
        p: 0,
      }}
    >
      {metricViews(props.metrics).map((m) => (
        <Box
          component="li"
          key={m.id}
          aria-label={`${m.label} ${m.value}, ${m.better} is better`}
          sx={{ p: 2, borderRadius: 1, bgcolor: 'action.hover' }}
        >
          <Typography variant="subtitle2" component="p" color="text.secondary">
            {m.label}
          </Typography>
          <Typography variant="h5" component="p" sx={{ fontVariantNumeric: 'tabular-nums' }}>
            {m.value}
          </Typography>
          <Typography variant="caption" component="p" color="text.secondary">
            {m.help}
          </Typography>
        </Box>
      ))}
    </Box>
  )
}

function MetricsDetails(props: { metrics: ExperimentMetrics }): React.JSX.Element {
  const m = props.metrics
  const drawn = generationText(m.generation)
  return (
    <DefinitionList
      label="How the metrics were measured"
      items={[
        { term: 'Concept judged', value: conceptLabel(m.concept) ?? 'Not recorded' },
        { term: 'Images', value: countsText(m.counts) },
        { term: 'Seeds', value: seedsText(m.seeds) },
        ...(drawn ? [{ term: 'Drawn with', value: drawn }] : []),
        { term: 'Evaluator', value: m.evaluator },
        { term: 'Evaluated', value: formatDateTime(m.evaluatedAt) },
      ]}
    />
  )
}

function NoMetrics(props: { reason: string | null }): React.JSX.Element {
  return (
    <Stack
      spacing={1}
      sx={{
        alignItems: 'center',
        textAlign: 'center',
        py: 4,
        bgcolor: 'action.hover',
        borderRadius: 1,
      }}
    >
      <EvaluateIcon sx={{ fontSize: 40, color: 'text.secondary' }} aria-hidden />
      <Typography variant="subtitle1" component="p">
        Not evaluated yet
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ maxWidth: 560 }}>
        An evaluation draws the ShapeWorld evaluation prompts with the erased model and judges every
        image: how often the erased concept still appears, whether other concepts survive, and
        whether synonyms and associated phrases still reach it.{' '}
        {props.reason ?? 'Press Evaluate to measure this experiment.'}
      </Typography>
    </Stack>
  )
}

function SettingsFields(props: {
  form: EvaluateForm
  error: string | null
  onChange: (patch: Partial<EvaluateForm>) => void
  disabled: boolean
}): React.JSX.Element {
  const { form } = props
  return (
    <Box
      sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 2.5, pt: 1 }}
    >
      <TextField
        label="Seeds"
        value={form.seeds}
        onChange={(e) => props.onChange({ seeds: e.target.value })}
        error={props.error !== null}
        helperText={props.error ?? 'Each evaluation prompt is drawn once per seed.'}
        size="small"
        disabled={props.disabled}
        slotProps={{ htmlInput: { inputMode: 'numeric', spellCheck: false, autoComplete: 'off' } }}
      />
      <TextField
        select
        label="Colour"
        value={form.color}
        onChange={(e) => props.onChange({ color: isColor(e.target.value) ? e.target.value : '' })}
        helperText="Blank: read from the experiment’s concept."
        size="small"
        disabled={props.disabled}
      >
        <MenuItem value="">From the concept</MenuItem>
        {colorOptions.map((c) => (
          <MenuItem key={c} value={c}>
            {c}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label="Shape"
        value={form.shape}
        onChange={(e) => props.onChange({ shape: isShape(e.target.value) ? e.target.value : '' })}
        helperText="Set a colour, a shape or both to judge them instead."
        size="small"
        disabled={props.disabled}
      >
        <MenuItem value="">From the concept</MenuItem>
        {shapeOptions.map((s) => (
          <MenuItem key={s} value={s}>
            {s}
          </MenuItem>
        ))}
      </TextField>
    </Box>
  )
}

function EvaluationRun(props: { job: JobSnapshot; onCancel: () => void }): React.JSX.Element {
  const [clock, setClock] = useState<StageClock | null>(null)
  const next = nextStageClock(clock, props.job.progress)
  if (next !== clock) setClock(next)
  const view = evaluationProgress(props.job, next)
  return (
    <Stack spacing={1}>
      <LinearProgress
        variant={view.percent === null ? 'indeterminate' : 'determinate'}
        value={view.percent ?? undefined}
        aria-label="Evaluation progress"
      />
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <Stack sx={{ flex: 1, minWidth: 0 }} role="status">
          <Typography variant="body2" sx={{ fontWeight: 500 }}>
            {[view.label, view.steps].filter(Boolean).join(' · ')}
          </Typography>
          <Typography variant="caption" color="text.secondary">
            {view.eta ?? '\u00a0'}
          </Typography>
        </Stack>
        <Button
          color="inherit"
          variant="outlined"
          startIcon={<CancelIcon />}
          onClick={props.onCancel}
        >
          Cancel
        </Button>
      </Stack>
    </Stack>
  )
}

/**
 * The experiment's evaluation: Acc_e, Acc_s, Acc_g and H_o with what each measures, the counts,
 * seeds and evaluator behind them; Evaluate (with optional settings) starts a job in the engine
 * and shows its progress and Cancel here. Metrics are replaced only when an evaluation finishes.
 */
export function MetricsCard(props: {
  projectId: string
  experiment: Experiment
  /** The experiment's own run is active. */
  running: boolean
  /** Reloads the experiment (after an evaluation stored new metrics). */
  onEvaluated: () => void
}): React.JSX.Element {
  const exp = props.experiment
  const ev = useEvaluation(props.projectId, exp, props.onEvaluated)
  const [form, setForm] = useState<EvaluateForm>(defaultEvaluateForm)
  const [showSettings, setShowSettings] = useState(false)
  const [formError, setFormError] = useState<string | null>(null)
  const active = ev.job !== null && !isTerminal(ev.job.state)
  const availability = evaluateAvailability(exp, props.running, ev.job)
  const outcome = lastOutcome(ev.job, exp.metrics !== null)

  const evaluate = (): void => {
    const built = evaluateInput(form, props.projectId, exp.id)
    if ('error' in built) {
      setFormError(built.error)
      setShowSettings(true)
      return
    }
    setFormError(null)
    void ev.start(built.input)
  }

  return (
    <Paper variant="outlined" component="section" aria-labelledby="metrics-title" sx={{ p: 3 }}>
      <Stack spacing={2}>
        <Stack direction="row" sx={{ alignItems: 'center', flexWrap: 'wrap', gap: 1.5 }}>
          <Typography variant="h2" id="metrics-title" sx={{ flex: 1, minWidth: 200 }}>
            Evaluation
          </Typography>
          <Button
            size="small"
            variant="outlined"
            startIcon={<SettingsIcon />}
            aria-expanded={showSettings}
            aria-controls="evaluation-settings"
            onClick={() => setShowSettings((s) => !s)}
          >
            Settings
          </Button>
          <Button
            variant="contained"
            startIcon={<EvaluateIcon />}
            onClick={evaluate}
            disabled={!availability.enabled}
          >
            {exp.metrics ? 'Evaluate again' : 'Evaluate'}
          </Button>
        </Stack>
        <Collapse in={showSettings} id="evaluation-settings">
          <Stack spacing={1}>
            <SettingsFields
              form={form}
              error={formError}
              onChange={(patch) => {
                setForm((f) => ({ ...f, ...patch }))
                setFormError(null)
              }}
              disabled={active}
            />
            <Typography variant="body2" color="text.secondary">
              {settingsSummary(form)} Steps, guidance, scheduler and size are the gallery’s.
            </Typography>
          </Stack>
        </Collapse>
        {active && ev.job ? <EvaluationRun job={ev.job} onCancel={() => void ev.cancel()} /> : null}
        {!active && outcome ? (
          <Alert
            severity={outcome.severity}
            role={outcome.severity === 'error' ? 'alert' : 'status'}
          >
            {outcome.text}
          </Alert>
        ) : null}
        <ErrorAlert error={ev.startError} title="Could not start the evaluation." />
        <ErrorAlert error={ev.cancelError} title="Could not cancel." />
        {exp.metrics ? (
          <>
            <MetricTiles metrics={exp.metrics} />
            <MetricsDetails metrics={exp.metrics} />
          </>
        ) : (
          <NoMetrics
            reason={active ? 'The metrics appear here when it finishes.' : availability.reason}
          />
        )}
      </Stack>
    </Paper>
  )
}
