/**
 * `npm run eval:shapeworld [-- flags]`: how well a ShapeWorld model draws what it is asked
 * (issue #8's targets: plain captions ≥ 90 %, synonyms ≥ 80 %, associated phrases ≥ 70 %).
 * Draws `--count` images per caption kind with the studio's txt2img on noise seeds the
 * training never sampled with (from 100 up; the training's sample grids use 1–4), judges each
 * with the ShapeWorld pixel classifier, and prints colour, shape and both accuracy per kind.
 * Exits with status 0 whether or not the targets are met (it measures; it does not gate).
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import {
  DEFAULT_FIRST_SEED,
  accuracyGrid,
  formatAccuracyReport,
  measureCaptionAccuracy,
} from '../src/main/engine/eval/caption-accuracy'
import { shapeWorldClassifier } from '../src/main/engine/eval/shapeworld-classifier'
import { schedulerNameSchema } from '../src/shared/contract'
import { loadSdModel } from '../src/main/engine/sd/sd-model'
import { resolveModelRef } from '../src/main/services/bundled-models'
import { drawRgb } from '../src/main/services/erased-model'

const USAGE = `usage: npm run eval:shapeworld -- [--model DIR|shapeworld] [--seeds 100..|100..199|100,101]
  [--count 60] [--steps 20] [--guidance 5] [--scheduler ddim] [--threads 0] [--grid out.png] [--json]`

function number(value: string | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isFinite(n) || n < min)
    throw new Error(`--${name} must be a number ≥ ${min}, got ${value}`)
  return n
}

/** "100.." (from 100, one seed per image), "100..199" (that range) or "100,101,102". */
function parseSeeds(text: string | undefined, count: number): number[] {
  const spec = (text ?? `${DEFAULT_FIRST_SEED}..`).trim()
  const range = /^(\d+)\.\.(\d+)?$/.exec(spec)
  if (range) {
    const from = Number(range[1])
    const to = range[2] === undefined ? from + count - 1 : Number(range[2])
    if (to < from) throw new Error(`--seeds: ${spec} is an empty range`)
    return Array.from({ length: to - from + 1 }, (_, i) => from + i)
  }
  const list = spec
    .split(/[\s,]+/)
    .filter((s) => s !== '')
    .map(Number)
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new Error(`--seeds: "${spec}" is not 100.., 100..199 or a list of whole numbers`)
  }
  return list
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      seeds: { type: 'string' },
      count: { type: 'string' },
      steps: { type: 'string' },
      guidance: { type: 'string' },
      scheduler: { type: 'string' },
      threads: { type: 'string' },
      grid: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help === true) {
    console.log(USAGE)
    return
  }
  const count = number(values.count, 60, 'count', 1)
  if (!Number.isInteger(count)) throw new Error(`--count must be a whole number, got ${count}`)
  const seeds = parseSeeds(values.seeds, count)
  const steps = number(values.steps, 20, 'steps', 1)
  const guidance = number(values.guidance, 5, 'guidance', 0)
  const parsedScheduler = schedulerNameSchema.safeParse(values.scheduler ?? 'ddim')
  if (!parsedScheduler.success)
    throw new Error(
      `--scheduler: "${values.scheduler}" is not one of ${schedulerNameSchema.options.join(', ')}`,
    )
  const scheduler = parsedScheduler.data
  const dir = path.resolve(resolveModelRef(values.model ?? 'shapeworld'))
  const model = await loadSdModel(dir, {
    provider: 'cpu',
    threads: number(values.threads, 0, 'threads', 0),
  })
  const signal = new AbortController().signal
  const started = performance.now()
  try {
    const report = await measureCaptionAccuracy({
      generate: (prompt, seed) =>
        drawRgb(
          model,
          { prompt, seed, steps, guidance, scheduler, width: 64, height: 64 },
          {},
          signal,
        ),
      classifier: shapeWorldClassifier,
      count,
      seeds,
      onProgress: (p) => {
        if (process.stderr.isTTY)
          process.stderr.write(`\r${p.kind}: ${p.step} / ${p.total}`.padEnd(40))
      },
    })
    if (process.stderr.isTTY) process.stderr.write('\r'.padEnd(41) + '\r')
    const seconds = (performance.now() - started) / 1000
    if (values.json === true) {
      const { items, ...summary } = report
      const judged = items.map(({ image: _image, ...it }) => it)
      console.log(
        JSON.stringify(
          { model: dir, seeds, steps, guidance, scheduler, seconds, ...summary, items: judged },
          null,
          2,
        ),
      )
    } else {
      console.log(`ShapeWorld caption accuracy: ${dir}`)
      console.log(
        `  ${count} images per kind; noise seeds ${seeds[0]}–${seeds[seeds.length - 1]}; ${scheduler} ${steps} steps, guidance ${guidance}; 64×64\n`,
      )
      console.log(formatAccuracyReport(report))
      console.log(
        `\n${(report.items.length / seconds).toFixed(1)} images/s, ${seconds.toFixed(1)} s`,
      )
    }
    if (values.grid !== undefined) {
      const out = path.resolve(values.grid)
      writeFileSync(out, accuracyGrid(report))
      if (values.json !== true)
        console.log(
          `grid: ${out} (rows: plain, synonym, associated; frame green = both right, amber = one, red = none)`,
        )
    }
  } finally {
    await model.dispose()
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exitCode = 1
})
