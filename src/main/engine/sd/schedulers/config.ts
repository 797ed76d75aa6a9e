/**
 * scheduler_config.json -> {@link SchedulerConfig}. A checkpoint's config is written for one
 * scheduler class (SD ships PNDM's) and diffusers lets any other scheduler read it, filling in
 * that scheduler's own defaults for missing keys; we do the same, so Euler reads SD's PNDM config
 * with `timestep_spacing: linspace` while DDIM and PNDM get `leading`.
 *
 * Keys we do not use (`_class_name`, `clip_sample` for Euler, ...) are ignored. A key with the
 * wrong type is an error naming the key. Options that would change the math in ways we do not
 * implement (Karras sigmas, thresholding, zero-SNR rescaling, ...) are errors when switched on,
 * rather than being silently ignored and producing the wrong images.
 */
import type {
  BetaSchedule,
  PredictionType,
  SchedulerConfig,
  SchedulerName,
  TimestepSpacing,
} from './types'

export class SchedulerConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SchedulerConfigError'
  }
}

/** diffusers' constructor defaults: shared ones, then the keys where the classes differ. */
const BASE: SchedulerConfig = {
  numTrainTimesteps: 1000,
  betaStart: 0.0001,
  betaEnd: 0.02,
  betaSchedule: 'linear',
  trainedBetas: null,
  stepsOffset: 0,
  setAlphaToOne: false,
  skipPrkSteps: false,
  predictionType: 'epsilon',
  timestepSpacing: 'leading',
  clipSample: false,
  clipSampleRange: 1,
}

const DEFAULTS: Readonly<Record<SchedulerName, SchedulerConfig>> = {
  ddim: { ...BASE, setAlphaToOne: true, clipSample: true },
  pndm: { ...BASE },
  euler: { ...BASE, timestepSpacing: 'linspace' },
  'euler-a': { ...BASE, timestepSpacing: 'linspace' },
}

export function schedulerDefaults(name: SchedulerName): SchedulerConfig {
  return DEFAULTS[name]
}

const BETA_SCHEDULES: readonly BetaSchedule[] = ['linear', 'scaled_linear', 'squaredcos_cap_v2']
const PREDICTION_TYPES: readonly PredictionType[] = ['epsilon', 'v_prediction']
const SPACINGS: readonly TimestepSpacing[] = ['leading', 'linspace', 'trailing']

/**
 * Per scheduler, keys that must hold their default value because we implement only that value.
 * Keys another scheduler class would read are ignored, as diffusers' `from_config` does.
 */
const ZERO_SNR = { rescale_betas_zero_snr: false }
const MUST_BE: Readonly<Record<SchedulerName, Readonly<Record<string, boolean | string>>>> = {
  ddim: { ...ZERO_SNR, thresholding: false },
  pndm: {},
  euler: {
    ...ZERO_SNR,
    use_karras_sigmas: false,
    use_exponential_sigmas: false,
    use_beta_sigmas: false,
    interpolation_type: 'linear',
    timestep_type: 'discrete',
    final_sigmas_type: 'zero',
  },
  'euler-a': ZERO_SNR,
}

/** Parses the text of scheduler_config.json. */
export function parseSchedulerConfigJson(text: string, name: SchedulerName): SchedulerConfig {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    throw new SchedulerConfigError(`scheduler_config.json is not valid JSON (${why}).`)
  }
  return parseSchedulerConfig(raw, name)
}

/** Reads a parsed scheduler_config.json for scheduler `name`, with that scheduler's defaults. */
export function parseSchedulerConfig(raw: unknown, name: SchedulerName): SchedulerConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SchedulerConfigError('scheduler_config.json must be a JSON object.')
  }
  const json = raw as Record<string, unknown>
  if ('numTrainTimesteps' in json) {
    throw new SchedulerConfigError(
      'Expected the JSON of scheduler_config.json (snake_case keys), got an already parsed ' +
        'SchedulerConfig; construct the scheduler class directly to use one.',
    )
  }
  const d = DEFAULTS[name]
  const r = new Reader(json)
  for (const [key, expected] of Object.entries(MUST_BE[name])) {
    const value = json[key]
    if (value !== undefined && value !== null && value !== expected) {
      throw new SchedulerConfigError(
        `scheduler_config.json sets "${key}" to ${JSON.stringify(value)}; only ` +
          `${JSON.stringify(expected)} is supported. Remove the key or set it to that value.`,
      )
    }
  }
  const config: SchedulerConfig = {
    numTrainTimesteps: r.integer('num_train_timesteps', d.numTrainTimesteps, 2),
    betaStart: r.probability('beta_start', d.betaStart),
    betaEnd: r.probability('beta_end', d.betaEnd),
    betaSchedule: r.choice('beta_schedule', d.betaSchedule, BETA_SCHEDULES),
    trainedBetas: r.betas('trained_betas'),
    stepsOffset: r.integer('steps_offset', d.stepsOffset, 0),
    setAlphaToOne: r.boolean('set_alpha_to_one', d.setAlphaToOne),
    skipPrkSteps: r.boolean('skip_prk_steps', d.skipPrkSteps),
    predictionType: r.choice('prediction_type', d.predictionType, PREDICTION_TYPES),
    timestepSpacing: r.choice('timestep_spacing', d.timestepSpacing, SPACINGS),
    clipSample: r.boolean('clip_sample', d.clipSample),
    clipSampleRange: r.positive('clip_sample_range', d.clipSampleRange),
  }
  if (config.trainedBetas !== null && config.trainedBetas.length !== config.numTrainTimesteps) {
    throw new SchedulerConfigError(
      `scheduler_config.json: "trained_betas" has ${config.trainedBetas.length} values but ` +
        `"num_train_timesteps" is ${config.numTrainTimesteps}.`,
    )
  }
  return config
}

/** Typed access to the JSON with errors that name the key. Absent (or null) means default. */
class Reader {
  constructor(private readonly json: Record<string, unknown>) {}

  private fail(key: string, expected: string): never {
    throw new SchedulerConfigError(
      `scheduler_config.json: "${key}" must be ${expected}, got ${JSON.stringify(this.json[key])}.`,
    )
  }

  private get(key: string): unknown {
    const value = this.json[key]
    return value === null ? undefined : value
  }

  integer(key: string, fallback: number, min: number): number {
    const v = this.get(key)
    if (v === undefined) return fallback
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      this.fail(key, `a whole number >= ${min}`)
    }
    return v
  }

  probability(key: string, fallback: number): number {
    const v = this.get(key)
    if (v === undefined) return fallback
    if (typeof v !== 'number' || !(v > 0 && v < 1)) this.fail(key, 'a number between 0 and 1')
    return v
  }

  positive(key: string, fallback: number): number {
    const v = this.get(key)
    if (v === undefined) return fallback
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) this.fail(key, 'a number > 0')
    return v
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.get(key)
    if (v === undefined) return fallback
    if (typeof v !== 'boolean') this.fail(key, 'true or false')
    return v
  }

  choice<T extends string>(key: string, fallback: T, options: readonly T[]): T {
    const v = this.get(key)
    if (v === undefined) return fallback
    const match = options.find((o) => o === v)
    if (match === undefined) this.fail(key, `one of ${options.map((o) => `"${o}"`).join(', ')}`)
    return match
  }

  betas(key: string): readonly number[] | null {
    const v = this.get(key)
    if (v === undefined) return null
    if (!Array.isArray(v) || !v.every((b) => typeof b === 'number' && b > 0 && b < 1)) {
      this.fail(key, 'null or a list of numbers between 0 and 1')
    }
    return v as number[]
  }
}
