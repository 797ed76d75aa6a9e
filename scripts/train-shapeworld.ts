/**
 * `npm run train:shapeworld -- --out DIR --steps N --seed S [--resume]`: trains the ShapeWorld
 * text-to-image model (src/main/engine/shapeworld/README.md) on the CPU. Deterministic from the
 * seed; Ctrl-C writes a checkpoint first, and `--resume` continues exactly where it stopped.
 * The trained diffusers folder ends up in DIR/model.
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { SHAPEWORLD_MODEL, SHAPEWORLD_TINY_MODEL } from '../src/main/engine/shapeworld/model-config'
import { trainShapeWorld } from '../src/main/engine/shapeworld/train-loop'
import type { TrainSettings } from '../src/main/engine/shapeworld/train-checkpoint'
import { LOSS_WEIGHTINGS } from '../src/main/engine/shapeworld/train-loss-weight'
import type { LossWeighting } from '../src/main/engine/shapeworld/train-loss-weight'

/**
 * The settings of the shipped model's first run; its second run adds --steps 12000 --seed 2
 * --lr 3e-4 --loss-weight pixel-scale --init-from (src/main/engine/shapeworld/README.md).
 */
export const DEFAULTS = {
  steps: 20000,
  batch: 32,
  lr: 1e-3,
  warmupSteps: 300,
  minLrRatio: 0.05,
  maxGradNorm: 1,
  captionDropout: 0.05,
  emaDecay: 0.999,
  lossWeighting: 'uniform' as LossWeighting,
}

function isLossWeighting(value: string): value is LossWeighting {
  return (LOSS_WEIGHTINGS as readonly string[]).includes(value)
}

const USAGE = `usage: npm run train:shapeworld -- --out DIR [--steps ${DEFAULTS.steps}] [--seed 1] [--resume]
  [--batch ${DEFAULTS.batch}] [--lr ${DEFAULTS.lr}] [--warmup ${DEFAULTS.warmupSteps}]
  [--ema ${DEFAULTS.emaDecay} (0: export the raw weights)]
  [--loss-weight uniform|pixel-scale] [--init-from MODEL_DIR]
  [--checkpoint-minutes 5] [--threads 1] [--no-samples] [--no-worker] [--tiny]`

function number(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${value}`)
  return n
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      steps: { type: 'string' },
      seed: { type: 'string' },
      resume: { type: 'boolean', default: false },
      batch: { type: 'string' },
      lr: { type: 'string' },
      warmup: { type: 'string' },
      ema: { type: 'string' },
      'loss-weight': { type: 'string' },
      'init-from': { type: 'string' },
      'checkpoint-minutes': { type: 'string' },
      threads: { type: 'string' },
      'no-samples': { type: 'boolean', default: false },
      'no-worker': { type: 'boolean', default: false },
      tiny: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help === true || values.out === undefined) {
    console.log(USAGE)
    process.exitCode = values.help === true ? 0 : 2
    return
  }
  const weighting = values['loss-weight'] ?? DEFAULTS.lossWeighting
  if (!isLossWeighting(weighting))
    throw new Error(`--loss-weight must be one of ${LOSS_WEIGHTINGS.join(', ')}, got ${weighting}`)
  const settings: TrainSettings = {
    seed: number(values.seed, 1, 'seed'),
    steps: number(values.steps, DEFAULTS.steps, 'steps'),
    batch: number(values.batch, DEFAULTS.batch, 'batch'),
    lr: number(values.lr, DEFAULTS.lr, 'lr'),
    warmupSteps: number(values.warmup, DEFAULTS.warmupSteps, 'warmup'),
    minLrRatio: DEFAULTS.minLrRatio,
    maxGradNorm: DEFAULTS.maxGradNorm,
    captionDropout: DEFAULTS.captionDropout,
    emaDecay: number(values.ema, DEFAULTS.emaDecay, 'ema'),
    ...(weighting === 'uniform' ? {} : { lossWeighting: weighting }),
    ...(values['init-from'] === undefined ? {} : { initFrom: path.resolve(values['init-from']) }),
    config: values.tiny === true ? SHAPEWORLD_TINY_MODEL : SHAPEWORLD_MODEL,
  }
  const abort = new AbortController()
  process.on('SIGINT', () => {
    if (abort.signal.aborted) process.exit(130)
    console.log('stopping after this step (Ctrl-C again to quit without a checkpoint)…')
    abort.abort()
  })
  const result = await trainShapeWorld(settings, {
    outDir: values.out,
    resume: values.resume === true,
    checkpointSeconds: number(values['checkpoint-minutes'], 5, 'checkpoint-minutes') * 60,
    threads: number(values.threads, 1, 'threads'),
    dataWorker: values['no-worker'] !== true,
    samples: values['no-samples'] === true ? false : undefined,
    signal: abort.signal,
  })
  if (!result.finished) {
    console.log(`stopped at step ${result.state.step}; continue with the same command and --resume`)
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exitCode = 1
})
