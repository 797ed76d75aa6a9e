import Box from '@mui/material/Box'
import Paper from '@mui/material/Paper'
import Typography from '@mui/material/Typography'
import type { Experiment } from '../../../../shared/contract'
import type { Definition } from '../../components/definition-list'
import { DefinitionList } from '../../components/definition-list'
import { formatDateTime, formatDuration } from '../../components/format'
import { schedulerLabel } from '../generate/model'
import type { ParamKey } from './params-model'
import { isLoraParam, paramGroups, paramLabels, paramValueText } from './params-model'
import { stageIds, stageLabels, timingKeys } from './stages-model'
import { presetLabels } from './table-model'

const pointKindLabels: Readonly<Record<string, string>> = {
  erasure: 'erasure',
  anchor: 'anchor',
  neighbor: 'neighbor',
  'anchor-tolerance': 'anchor tolerance',
  beyond: 'beyond',
  preserved: 'preserved',
  probe: 'probe',
}

/** One entry per line (templates, prompts, counts read better stacked). */
const list = (items: readonly string[]): React.ReactNode =>
  items.length === 0
    ? 'None'
    : items.map((item) => (
        <Box component="span" key={item} sx={{ display: 'block' }}>
          {item}
        </Box>
      ))

function specItems(exp: Experiment, modelName: string): Definition[] {
  const s = exp.spec
  return [
    { term: 'Model', value: modelName },
    { term: 'Preset', value: presetLabels[s.preset] },
    {
      term: s.concepts.length === 1 ? 'Concept' : 'Concepts',
      value: s.concepts.map((c) => `${c.concept} → ${c.anchor || '(empty prompt)'}`).join(', '),
    },
    { term: 'Templates', value: list(s.concepts[0]?.templates ?? []) },
    { term: 'Preserved', value: list(s.preserve) },
    { term: 'Probes', value: list(s.probes) },
  ]
}

function paramItems(exp: Experiment): Definition[] {
  const lora = exp.params.variant === 'full'
  return paramGroups.flatMap((g) =>
    g.keys.map((key: ParamKey) => {
      const value = paramValueText(key, exp.params[key])
      return {
        term: paramLabels[key],
        value:
          isLoraParam(key) && !lora ? (
            <Box component="span" sx={{ color: 'text.disabled' }} title="Not used by this variant">
              {value} (unused)
            </Box>
          ) : (
            value
          ),
      }
    }),
  )
}

/** "0.412 → 0.057 over 200 steps" */
const lossText = (curve: readonly number[]): string =>
  `${curve[0]?.toPrecision(3)} → ${curve[curve.length - 1]?.toPrecision(3)} over ${curve.length} steps`

function resultItems(exp: Experiment): Definition[] {
  const g = exp.gallery
  const counts = Object.entries(exp.pointCounts).map(
    ([kind, n]) => `${n.toLocaleString()} ${pointKindLabels[kind] ?? kind}`,
  )
  const timings = stageIds.flatMap((id) => {
    const key = timingKeys[id]
    const ms = key === undefined ? undefined : exp.timings[key]
    return ms === undefined ? [] : [`${stageLabels[id]} ${formatDuration(ms)}`]
  })
  return [
    { term: 'Gallery', value: g.enabled ? 'On' : 'Off' },
    { term: 'Gallery seeds', value: g.seeds.join(', ') },
    { term: 'Steps', value: String(g.steps) },
    { term: 'Guidance', value: String(g.guidance) },
    { term: 'Scheduler', value: schedulerLabel(g.scheduler) },
    { term: 'Size', value: g.size === undefined ? 'Model’s own' : `${g.size} × ${g.size}` },
    { term: 'Points', value: list(counts) },
    ...(exp.lossCurve.length > 0 ? [{ term: 'LoRA loss', value: lossText(exp.lossCurve) }] : []),
    { term: 'Timings', value: list(timings) },
    { term: 'Ran on', value: exp.provider ? exp.provider.toUpperCase() : '—' },
    { term: 'Edit file', value: exp.artifactPath ?? '—', mono: exp.artifactPath !== null },
    ...(exp.loraPath ? [{ term: 'LoRA file', value: exp.loraPath, mono: true }] : []),
    { term: 'Created', value: formatDateTime(exp.createdAt) },
    { term: 'Finished', value: exp.finishedAt ? formatDateTime(exp.finishedAt) : '—' },
  ]
}

function Column(props: { title: string; items: readonly Definition[] }): React.JSX.Element {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="overline" color="text.secondary" component="h3">
        {props.title}
      </Typography>
      <DefinitionList items={props.items} label={props.title} termWidth={112} />
    </Box>
  )
}

/** Every input of the run (so it can be repeated exactly) and what it produced. */
export function ExperimentDetails(props: {
  experiment: Experiment
  modelName: string
}): React.JSX.Element {
  const exp = props.experiment
  return (
    <Paper variant="outlined" component="section" aria-labelledby="parameters-title" sx={{ p: 3 }}>
      <Typography variant="h2" id="parameters-title" sx={{ mb: 2 }}>
        Parameters
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 4 }}>
        <Column title="What was erased" items={specItems(exp, props.modelName)} />
        <Column title="RealEra" items={paramItems(exp)} />
        <Column title="Gallery and results" items={resultItems(exp)} />
      </Box>
    </Paper>
  )
}
