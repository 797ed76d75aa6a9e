import type { Experiment } from '../../../../shared/contract'
import { parameterHelp } from '../../../../shared/contract'
import { formatDuration } from '../../components/format'
import { schedulerLabel } from '../generate/model'
import type { ParamKey } from '../experiments/params-model'
import { isLoraParam, paramGroups, paramLabels, paramValueText } from '../experiments/params-model'
import { stageIds, stageLabels, timingKeys } from '../experiments/stages-model'
import { presetLabels, statusLabels } from '../experiments/table-model'

/**
 * Pure view logic of the comparison page: which experiments are chosen, every setting as a
 * row with one cell per experiment (rows whose values differ are marked, so the page can show
 * only those), and the results with the best value of each comparable row marked.
 */
export interface CompareCell {
  readonly text: string
  /** A value the experiment did not use (LoRA settings of a stage-1 variant). */
  readonly unused?: boolean
  /** The best value of its row (ties share it); never set when all values are equal. */
  readonly best?: boolean
}

export type Better = 'higher' | 'lower'

export interface CompareRow {
  readonly key: string
  readonly label: string
  /** What the setting does (the contract's parameter help), for a tooltip. */
  readonly hint?: string
  /** For rows where one value is better than another. */
  readonly better?: Better
  readonly cells: readonly CompareCell[]
  readonly differs: boolean
}

export interface CompareSection {
  readonly id: string
  readonly title: string
  readonly rows: readonly CompareRow[]
}

/** "#3 Erase van gogh" */
export const columnTitle = (exp: Experiment): string => `#${exp.number} ${exp.name}`

/** At most this many experiments side by side (the table stays readable at the page width). */
export const MAX_COMPARED = 6

export interface Selection {
  /** The chosen experiments that exist, oldest first. */
  readonly chosen: readonly Experiment[]
  /** Ids asked for that are not (or no longer) in the project. */
  readonly missing: readonly string[]
}

export function resolveSelection(all: readonly Experiment[], ids: readonly string[]): Selection {
  const byId = new Map(all.map((e) => [e.id, e]))
  const unique = [...new Set(ids)]
  return {
    chosen: unique
      .flatMap((id) => byId.get(id) ?? [])
      .sort((a, b) => a.number - b.number)
      .slice(0, MAX_COMPARED),
    missing: unique.filter((id) => !byId.has(id)),
  }
}

const sameText = (cells: readonly CompareCell[]): boolean =>
  cells.every((c) => c.text === cells[0]?.text)

function row(
  key: string,
  label: string,
  cells: readonly CompareCell[],
  extra: { hint?: string; better?: Better } = {},
): CompareRow {
  return { key, label, cells, differs: !sameText(cells), ...extra }
}

const textRow = (
  key: string,
  label: string,
  exps: readonly Experiment[],
  text: (e: Experiment) => string,
  hint?: string,
): CompareRow =>
  row(
    key,
    label,
    exps.map((e) => ({ text: text(e) })),
    hint ? { hint } : {},
  )

const joined = (items: readonly string[]): string =>
  items.length === 0 ? 'None' : items.join(', ')

function erasedSection(
  exps: readonly Experiment[],
  modelName: (e: Experiment) => string,
): CompareSection {
  return {
    id: 'erased',
    title: 'What was erased',
    rows: [
      textRow('model', 'Model', exps, modelName),
      textRow('preset', 'Preset', exps, (e) => presetLabels[e.spec.preset]),
      textRow('concepts', 'Concepts', exps, (e) =>
        e.spec.concepts.map((c) => `${c.concept} → ${c.anchor || '(empty prompt)'}`).join(', '),
      ),
      textRow('templates', 'Templates', exps, (e) =>
        joined([...new Set(e.spec.concepts.flatMap((c) => c.templates))]),
      ),
      textRow('preserve', 'Preserved', exps, (e) => joined(e.spec.preserve)),
      textRow('probes', 'Probes', exps, (e) => joined(e.spec.probes)),
    ],
  }
}

function paramSections(exps: readonly Experiment[]): CompareSection[] {
  return paramGroups.map((g) => ({
    id: g.id,
    title: g.title,
    rows: g.keys.map((key: ParamKey) =>
      row(
        key,
        paramLabels[key],
        exps.map((e) => ({
          text: paramValueText(key, e.params[key]),
          ...(isLoraParam(key) && e.params.variant !== 'full' ? { unused: true } : {}),
        })),
        { hint: parameterHelp[key] },
      ),
    ),
  }))
}

function gallerySection(exps: readonly Experiment[]): CompareSection {
  return {
    id: 'gallery',
    title: 'Gallery',
    rows: [
      textRow('gallery.enabled', 'Gallery', exps, (e) => (e.gallery.enabled ? 'On' : 'Off')),
      textRow('gallery.seeds', 'Gallery seeds', exps, (e) => e.gallery.seeds.join(', ')),
      textRow('gallery.steps', 'Steps', exps, (e) => String(e.gallery.steps)),
      textRow('gallery.guidance', 'Guidance', exps, (e) => String(e.gallery.guidance)),
      textRow('gallery.scheduler', 'Scheduler', exps, (e) => schedulerLabel(e.gallery.scheduler)),
      textRow('gallery.size', 'Size', exps, (e) =>
        e.gallery.size === undefined ? 'Model’s own' : `${e.gallery.size} × ${e.gallery.size}`,
      ),
    ],
  }
}

/** Every input of the runs: what was erased, each RealEra parameter, the gallery settings. */
export function parameterSections(
  exps: readonly Experiment[],
  modelName: (e: Experiment) => string,
): CompareSection[] {
  return [erasedSection(exps, modelName), ...paramSections(exps), gallerySection(exps)]
}

/** Only the rows that differ; sections left empty are dropped. */
export function onlyDifferences(sections: readonly CompareSection[]): CompareSection[] {
  return sections
    .map((s) => ({ ...s, rows: s.rows.filter((r) => r.differs) }))
    .filter((s) => s.rows.length > 0)
}

/** "3 of 37 settings differ" / "All 37 settings are the same" */
export function differenceSummary(sections: readonly CompareSection[]): string {
  const rows = sections.flatMap((s) => s.rows)
  const differ = rows.filter((r) => r.differs).length
  if (differ === 0) return `All ${rows.length} settings are the same`
  return `${differ} of ${rows.length} settings differ`
}

/**
 * The best of each row's values, as flags: the highest or lowest, ties included. None when
 * fewer than two experiments have a value or when all values are equal (nothing to prefer).
 */
export function markBest(values: readonly (number | null)[], better: Better): boolean[] {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v))
  if (present.length < 2 || present.every((v) => v === present[0])) return values.map(() => false)
  const best = better === 'higher' ? Math.max(...present) : Math.min(...present)
  return values.map((v) => v === best)
}

function numberRow(
  key: string,
  label: string,
  exps: readonly Experiment[],
  value: (e: Experiment) => number | null,
  format: (v: number) => string,
  better: Better,
  hint?: string,
): CompareRow {
  const values = exps.map(value)
  const best = markBest(values, better)
  const cells = values.map((v, i) => ({
    text: v === null ? '—' : format(v),
    ...(best[i] ? { best: true } : {}),
  }))
  return row(key, label, cells, { better, ...(hint ? { hint } : {}) })
}

const percent = (v: number): string => `${(v * 100).toFixed(1)} %`

function metricsSection(exps: readonly Experiment[]): CompareSection | null {
  if (!exps.some((e) => e.metrics !== null)) return null
  const m = (e: Experiment) => e.metrics
  return {
    id: 'metrics',
    title: 'Evaluation',
    rows: [
      numberRow(
        'ho',
        'H_o',
        exps,
        (e) => m(e)?.ho ?? null,
        percent,
        'higher',
        'Harmonic mean of 1 − Acc_e, Acc_s and 1 − Acc_g: one number for erasing well and keeping the rest.',
      ),
      numberRow(
        'accE',
        'Acc_e',
        exps,
        (e) => m(e)?.accE ?? null,
        percent,
        'lower',
        'Erasure prompts still recognized as the erased concept.',
      ),
      numberRow(
        'accS',
        'Acc_s',
        exps,
        (e) => m(e)?.accS ?? null,
        percent,
        'higher',
        'Preserved prompts still recognized as themselves.',
      ),
      numberRow(
        'accG',
        'Acc_g',
        exps,
        (e) => m(e)?.accG ?? null,
        percent,
        'lower',
        'Synonym and associated prompts still recognized as the erased concept.',
      ),
      textRow('evaluator', 'Evaluator', exps, (e) => m(e)?.evaluator ?? 'Not evaluated'),
      textRow('judged', 'Images judged', exps, (e) => {
        const c = m(e)?.counts
        return c
          ? `${c.erasure} erasure, ${c.preserved} preserved, ${c.generalization} generalization`
          : '—'
      }),
      textRow('metricSeeds', 'Evaluation seeds', exps, (e) => m(e)?.seeds.join(', ') ?? '—'),
    ],
  }
}

/** "anchor-tolerance" → "Anchor tolerance points" */
const pointsLabel = (kind: string): string =>
  `${kind.charAt(0).toUpperCase()}${kind.slice(1).replace(/-/g, ' ')} points`

const lossText = (v: number): string => v.toPrecision(3)
const last = <T>(list: readonly T[]): T | null => (list.length > 0 ? list[list.length - 1]! : null)

function runSection(exps: readonly Experiment[]): CompareSection {
  const kinds = [...new Set(exps.flatMap((e) => Object.keys(e.pointCounts)))]
  const rows: CompareRow[] = [
    textRow('status', 'Status', exps, (e) => statusLabels[e.status]),
    textRow('provider', 'Ran on', exps, (e) => (e.provider ? e.provider.toUpperCase() : '—')),
    ...kinds.map((kind) =>
      textRow(`points.${kind}`, pointsLabel(kind), exps, (e) =>
        e.pointCounts[kind] === undefined ? '—' : e.pointCounts[kind].toLocaleString(),
      ),
    ),
  ]
  if (exps.some((e) => e.lossCurve.length > 0)) {
    rows.push(
      numberRow(
        'loss',
        'LoRA final loss',
        exps,
        (e) => last(e.lossCurve),
        lossText,
        'lower',
        'The training loss at the last step (it varies with the sampled timestep).',
      ),
    )
  }
  if (exps.some((e) => e.evalCurve.length > 0)) {
    rows.push(
      numberRow(
        'evalLoss',
        'Held-out final loss',
        exps,
        (e) => last(e.evalCurve)?.[1] ?? null,
        lossText,
        'lower',
        'Eq. 8 loss on fixed held-out noise and timesteps at the end of training.',
      ),
    )
  }
  for (const id of stageIds) {
    const key = timingKeys[id]
    if (key === undefined || !exps.some((e) => e.timings[key] !== undefined)) continue
    rows.push(
      numberRow(
        `time.${id}`,
        stageLabels[id],
        exps,
        (e) => e.timings[key] ?? null,
        formatDuration,
        'lower',
      ),
    )
  }
  rows.push(
    numberRow(
      'time.total',
      'Total time',
      exps,
      (e) => (e.finishedAt === null ? null : e.finishedAt - e.createdAt),
      formatDuration,
      'lower',
    ),
  )
  return { id: 'run', title: 'Run', rows }
}

/** Metrics (when any experiment has been evaluated), then the run: status, points, loss, timings. */
export function resultSections(exps: readonly Experiment[]): CompareSection[] {
  const metrics = metricsSection(exps)
  return metrics ? [metrics, runSection(exps)] : [runSection(exps)]
}

export const hasMetrics = (exps: readonly Experiment[]): boolean =>
  exps.some((e) => e.metrics !== null)
