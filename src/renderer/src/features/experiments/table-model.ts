import type { Experiment, Variant } from '../../../../shared/contract'
import type { ChipColor } from '../jobs/progress-view'

/** Pure view logic of the experiments table: labels, filtering and sorting. */
export type ExperimentStatus = Experiment['status']

export const experimentStatuses: readonly ExperimentStatus[] = [
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'interrupted',
]

export const statusLabels: Record<ExperimentStatus, string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
}

export const statusColors: Record<ExperimentStatus, ChipColor> = {
  running: 'primary',
  succeeded: 'success',
  failed: 'error',
  cancelled: 'default',
  interrupted: 'warning',
}

export const presetLabels: Record<Experiment['spec']['preset'], string> = {
  artist: 'Artist style',
  celebrity: 'Celebrity',
  object: 'Object',
  explicit: 'Explicit content',
  custom: 'Custom',
}

export const variantShortLabels: Record<Variant, string> = {
  'closed-form': 'Closed form',
  mining: 'Mining',
  'mining-beyond': 'Mining + beyond',
  full: 'Full (LoRA)',
}

/** "van gogh → art, monet → art"; an empty anchor maps to the empty prompt. */
export function conceptsText(exp: Experiment): string {
  return exp.spec.concepts
    .map((c) => `${c.concept} → ${c.anchor === '' ? '(empty)' : c.anchor}`)
    .join(', ')
}

export type SortKey =
  | 'number'
  | 'name'
  | 'concepts'
  | 'variant'
  | 'status'
  | 'm'
  | 'n'
  | 'd1'
  | 's1'
  | 's2'
  | 'lambda1'
  | 'ho'
  | 'accE'
  | 'accS'
  | 'accG'
  | 'createdAt'

export interface SortState {
  readonly key: SortKey
  readonly direction: 'asc' | 'desc'
}

export const defaultSort: SortState = { key: 'number', direction: 'desc' }

const numericKeys: ReadonlySet<SortKey> = new Set([
  'number',
  'm',
  'n',
  'd1',
  's1',
  's2',
  'lambda1',
  'ho',
  'accE',
  'accS',
  'accG',
  'createdAt',
])

/** The same column flips the direction; a new one starts high-first for numbers, A–Z for text. */
export function toggleSort(sort: SortState, key: SortKey): SortState {
  if (sort.key === key) return { key, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
  return { key, direction: numericKeys.has(key) ? 'desc' : 'asc' }
}

function sortValue(exp: Experiment, key: SortKey): number | string {
  switch (key) {
    case 'number':
      return exp.number
    case 'name':
      return exp.name.toLowerCase()
    case 'concepts':
      return conceptsText(exp).toLowerCase()
    case 'variant':
      return variantShortLabels[exp.params.variant]
    case 'status':
      return statusLabels[exp.status]
    case 'createdAt':
      return exp.createdAt
    case 'm':
    case 'n':
    case 'd1':
    case 's1':
    case 's2':
    case 'lambda1':
      return exp.params[key]
    case 'ho':
    case 'accE':
    case 'accS':
    case 'accG':
      // Not evaluated sorts below every score, whichever the direction.
      return exp.metrics?.[key] ?? Number.NaN
  }
}

/** Sorted copy; ties keep the newest experiment first. */
export function sortExperiments(list: readonly Experiment[], sort: SortState): Experiment[] {
  const sign = sort.direction === 'asc' ? 1 : -1
  return [...list].sort((a, b) => {
    const va = sortValue(a, sort.key)
    const vb = sortValue(b, sort.key)
    if (typeof va === 'number' && typeof vb === 'number' && Number.isNaN(va) !== Number.isNaN(vb)) {
      return Number.isNaN(va) ? 1 : -1
    }
    const c =
      typeof va === 'number' && typeof vb === 'number'
        ? va - vb || 0
        : String(va).localeCompare(String(vb))
    return c !== 0 ? sign * c : b.number - a.number
  })
}

export interface FilterState {
  readonly text: string
  readonly status: ExperimentStatus | 'all'
  readonly variant: Variant | 'all'
}

export const emptyFilter: FilterState = { text: '', status: 'all', variant: 'all' }

export const isFiltered = (f: FilterState): boolean =>
  f.text.trim() !== '' || f.status !== 'all' || f.variant !== 'all'

/** Text matches the number ("3" or "#3"), the name, concepts and anchors, case-insensitively. */
export function filterExperiments(list: readonly Experiment[], f: FilterState): Experiment[] {
  const words = f.text
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '')
  return list.filter((exp) => {
    if (f.status !== 'all' && exp.status !== f.status) return false
    if (f.variant !== 'all' && exp.params.variant !== f.variant) return false
    const haystack = `#${exp.number} ${exp.name} ${conceptsText(exp)}`.toLowerCase()
    return words.every((w) => haystack.includes(w))
  })
}

export const isExperimentStatus = (v: string): v is ExperimentStatus =>
  (experimentStatuses as readonly string[]).includes(v)

/**
 * A key that changes whenever an erase (or resume) job of the project changes state, so lists
 * and pages reload when a run starts or ends, whichever window or tool started it.
 */
export function eraseJobsKey(jobs: readonly { kind: string; id: string; state: string }[]): string {
  return jobs
    .filter((j) => j.kind === 'erase' || j.kind === 'resume-erase')
    .map((j) => `${j.id}:${j.state}`)
    .join(',')
}

/** Whether any experiment has evaluation metrics (the table then shows H_o and the accuracies). */
export const anyMetrics = (list: readonly Experiment[]): boolean =>
  list.some((e) => e.metrics !== null)

/** A score in [0, 1] as the table shows it: "87.5". */
export const scoreText = (v: number | undefined): string =>
  v === undefined ? '—' : (v * 100).toFixed(1)

/**
 * The ids to compare: the selection, in the table's current order, without ids that no longer
 * exist (a deleted experiment stays selected only until the list reloads).
 */
export function selectedInOrder(
  list: readonly Experiment[],
  selected: ReadonlySet<string>,
): string[] {
  return list.filter((e) => selected.has(e.id)).map((e) => e.id)
}
