import type { Experiment, JobSnapshot, JobState, Progress } from '../../../../shared/contract'
import { formatDuration } from '../../components/format'
import { formatEta, phaseLabel } from '../jobs/progress-view'

/**
 * An erase job's stages as a stepper. The host reports progress phases in this order; the
 * stepper is derived from the job's state and latest phase (live, from the jobs store) and,
 * when no job is known (a run from the command line), from the experiment's status and timings.
 */
export const stageIds = [
  'load',
  'encode',
  'mine',
  'solve',
  'latents',
  'train',
  'gallery',
  'evaluate',
] as const
export type StageId = (typeof stageIds)[number]

/** The full variant's LoRA stage (training latents, then training) runs between solve and gallery. */
const loraStages: readonly StageId[] = ['latents', 'train']

/**
 * The stages a run goes through: the LoRA ones only for the full variant, the evaluation only
 * when the run evaluates its result ("evaluate after erasing").
 */
export const stagesFor = (full: boolean, evaluate = false): readonly StageId[] =>
  stageIds.filter((id) => (full || !loraStages.includes(id)) && (evaluate || id !== 'evaluate'))

export const stageLabels: Record<StageId, string> = {
  load: 'Load model',
  encode: 'Encode prompts',
  mine: 'Mine neighbors',
  solve: 'Solve closed form',
  latents: 'Draw training latents',
  train: 'Train LoRA',
  gallery: 'Render gallery',
  evaluate: 'Evaluate',
}

const activeLabels: Record<StageId, string> = {
  load: 'Loading the model',
  encode: 'Encoding the prompts',
  mine: 'Mining neighbor and beyond points',
  solve: 'Solving the closed form',
  latents: 'Drawing anchor images as training latents',
  train: 'Training the LoRA (noise alignment)',
  gallery: 'Rendering the before/after gallery',
  evaluate: 'Evaluating the erased model',
}

const stepUnits: Partial<Record<StageId, string>> = {
  encode: 'prompts',
  mine: 'erasure prompts',
  latents: 'images',
  train: 'steps',
  gallery: 'images',
  evaluate: 'images',
}

/** The experiment's `timings` key of each stage (loading the model is not timed). */
export const timingKeys: Partial<Record<StageId, string>> = {
  encode: 'encodeMs',
  mine: 'mineMs',
  solve: 'solveMs',
  train: 'loraMs',
  gallery: 'galleryMs',
}

export const isStageId = (v: unknown): v is StageId =>
  typeof v === 'string' && (stageIds as readonly string[]).includes(v)

export type RunState = JobState

/** The live job's state when the job is known, else the experiment's stored status. */
export function runStateOf(job: JobSnapshot | null, exp: Experiment | null): RunState | null {
  return job?.state ?? exp?.status ?? null
}

export type StageStatus = 'pending' | 'active' | 'done' | 'skipped' | 'failed' | 'cancelled'

export interface StageView {
  readonly id: StageId
  readonly label: string
  readonly status: StageStatus
  /** How long the stage took, or why it did not run. */
  readonly caption: string | null
}

export interface StagesInput {
  readonly state: RunState | null
  /** The job's latest progress phase, if a job is known. */
  readonly phase: string | null
  readonly galleryEnabled: boolean
  /** The full variant (adds the LoRA stages). */
  readonly full: boolean
  /** The run evaluates its result after the gallery (adds the evaluation stage). */
  readonly evaluate?: boolean
  readonly timings: Readonly<Record<string, number>>
}

/** Index in `stages` of the stage the run reached: its last phase, or the first untimed one. */
export function reachedStage(
  stages: readonly StageId[],
  phase: string | null,
  timings: Readonly<Record<string, number>>,
): number {
  const at = isStageId(phase) ? stages.indexOf(phase) : -1
  if (at !== -1) return at
  let reached = 0
  stages.forEach((id, i) => {
    const key = timingKeys[id]
    if (key !== undefined && key in timings) reached = i + 1
  })
  return Math.min(reached, stages.length - 1)
}

function statusAt(i: number, reached: number, state: RunState | null): StageStatus {
  switch (state) {
    case null:
    case 'queued':
      return 'pending'
    case 'succeeded':
      return 'done'
    case 'running':
      return i < reached ? 'done' : i === reached ? 'active' : 'pending'
    case 'failed':
    case 'interrupted':
      return i < reached ? 'done' : i === reached ? 'failed' : 'pending'
    case 'cancelled':
      return i < reached ? 'done' : i === reached ? 'cancelled' : 'pending'
  }
}

export function deriveStages(input: StagesInput): StageView[] {
  const stages = stagesFor(input.full, input.evaluate === true)
  const reached = reachedStage(stages, input.phase, input.timings)
  return stages.map((id, i) => {
    const label = stageLabels[id]
    if (id === 'gallery' && !input.galleryEnabled) {
      return { id, label, status: 'skipped', caption: 'Turned off' }
    }
    const status = statusAt(i, reached, input.state)
    const key = timingKeys[id]
    const ms = key === undefined ? undefined : input.timings[key]
    const caption =
      status === 'done' && ms !== undefined
        ? formatDuration(ms)
        : status === 'cancelled'
          ? 'Cancelled'
          : status === 'failed'
            ? 'Failed'
            : null
    return { id, label, status, caption }
  })
}

/** MUI's `activeStep`: the first stage not done (all of them once the run succeeded). */
export function activeStep(stages: readonly StageView[]): number {
  const i = stages.findIndex((s) => s.status !== 'done' && s.status !== 'skipped')
  return i === -1 ? stages.length : i
}

/**
 * Where the current stage started: the first progress seen in it. ETA is measured from there,
 * so earlier stages (and a window reloaded mid-stage) do not skew it.
 */
export interface StageClock {
  readonly phase: string
  readonly elapsedMs: number
  readonly step: number
}

/** The clock for the latest progress: the same object while the phase is unchanged. */
export function nextStageClock(
  clock: StageClock | null,
  progress: Progress | null,
): StageClock | null {
  if (!progress) return clock
  if (clock && clock.phase === progress.phase) return clock
  return { phase: progress.phase, elapsedMs: progress.elapsedMs, step: progress.step }
}

/** "about 12 s left" for the current stage, from the steps done since its clock started. */
export function stageEta(clock: StageClock | null, progress: Progress | null): string | null {
  if (!clock || !progress || clock.phase !== progress.phase || progress.total === null) return null
  const total = progress.total - clock.step
  if (total <= 0) return null
  return formatEta({
    phase: progress.phase,
    step: progress.step - clock.step,
    total,
    elapsedMs: progress.elapsedMs - clock.elapsedMs,
  })
}

export interface CurrentStage {
  readonly label: string
  readonly bar: 'determinate' | 'indeterminate'
  /** 0–100 when determinate. */
  readonly percent: number
  /** "12 / 36 images", or null when the stage has no count. */
  readonly steps: string | null
}

/** The running stage in words, with its bar; null once the run has ended. */
export function currentStage(
  state: RunState | null,
  progress: Progress | null,
): CurrentStage | null {
  if (state === 'queued') {
    return {
      label: 'Waiting for the running job to finish',
      bar: 'indeterminate',
      percent: 0,
      steps: null,
    }
  }
  if (state !== 'running') return null
  if (!progress) return { label: 'Starting', bar: 'indeterminate', percent: 0, steps: null }
  const id = isStageId(progress.phase) ? progress.phase : null
  const label = id ? activeLabels[id] : phaseLabel(progress.phase)
  if (progress.total === null) return { label, bar: 'indeterminate', percent: 0, steps: null }
  const unit = id ? stepUnits[id] : undefined
  const percent = Math.min(100, Math.max(0, (progress.step / progress.total) * 100))
  const steps = `${progress.step} / ${progress.total}${unit ? ` ${unit}` : ''}`
  return { label, bar: 'determinate', percent, steps: id === 'solve' ? null : steps }
}

/**
 * Changes when the stored experiment may have changed: the job's state, its stage, and each
 * gallery image (so the gallery fills in as images are drawn).
 */
export function runRefreshKey(job: JobSnapshot | null): string {
  if (!job) return ''
  const p = job.progress
  return `${job.state}|${p?.phase ?? ''}|${p?.phase === 'gallery' ? p.step : ''}`
}
