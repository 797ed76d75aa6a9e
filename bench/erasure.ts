import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { EvaluationConcept, ExperimentMetrics } from '../src/shared/contract'
import { describeIssues, evaluationColors, evaluationShapes, startEraseSchema, variantSchema } from '../src/shared/contract'
import { evaluateErasure } from '../src/main/engine/eval/evaluate'
import { evaluationPrompts } from '../src/main/engine/shapeworld/captions'
import { createServices } from '../src/main/host/services'
import { resolveModelRef } from '../src/main/services/bundled-models'
import { drawRgb } from '../src/main/services/erased-model'
import type { JobContext } from '../src/main/services/jobs/job-service'

/**
 * `npm run bench:erasure [-- flags]`: the paper's table on ShapeWorld (issue #8). For each
 * concept and variant, one erase through the services on a temp project, then the evaluation
 * job's work on the erased model; `original` evaluates the model as it is. Prints Acc_e, Acc_s,
 * Acc_g, H_o per row, their averages per variant, and the seconds each step took.
 * The defaults (2 concepts × 5 rows × 4 seeds ≈ 3,000 images of 64×64, DDIM 20) take about
 * 12 minutes on two busy cores; `--seeds 1 --concepts red` is a quick look.
 */
const usage = `npm run bench:erasure -- [--model DIR|shapeworld] [--concepts red,circle]
    [--variants original,closed-form,mining,mining-beyond,full] [--seeds 1,2,3,4] [--epochs 50]
    [--steps 20] [--guidance 5] [--counts E,P,G] [--m 50] [--n 50] [--lambda 0.1] [--lambda1 0.1]
    [--d1 0.5] [--d2 1] (relative to ‖e‖) [--s1 0.99] [--s2 0.8] (the studio's defaults)
    [--seed 0] [--lora-images 2] [--threads 0] [--keep]`

const VARIANTS = ['original', ...variantSchema.options] as const
type Row = { concept: string; variant: (typeof VARIANTS)[number]; metrics: ExperimentMetrics; eraseS: number | null; evalS: number }

const list = (v: string): string[] => v.split(/[\s,]+/).filter((x) => x !== '')
const ints = (name: string, v: string): number[] =>
  list(v).map((x) => {
    const n = Number(x)
    if (!Number.isInteger(n)) throw new Error(`--${name}: "${x}" is not a whole number`)
    return n
  })
const num = (name: string, v: string | undefined, fallback: number): number => {
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isFinite(n)) throw new Error(`--${name}: "${v}" is not a number`)
  return n
}

function settingsFromArgs(argv: string[]) {
  const stringFlags = ['model', 'concepts', 'variants', 'seeds', 'epochs', 'steps', 'guidance', 'counts', 'm', 'n', 'lambda', 'lambda1', 'd1', 'd2', 's1', 's2', 'seed', 'lora-images', 'threads']
  const { values } = parseArgs({
    args: argv,
    options: { ...Object.fromEntries(stringFlags.map((k) => [k, { type: 'string' as const }])), keep: { type: 'boolean' }, help: { type: 'boolean' } },
  }) as { values: Record<string, string | boolean | undefined> }
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? values[k] : undefined)
  if (values.help === true) {
    console.log(usage)
    process.exit(0)
  }
  const concepts = list(str('concepts') ?? 'red,circle')
  for (const c of concepts) {
    if (!(evaluationColors as readonly string[]).includes(c) && !(evaluationShapes as readonly string[]).includes(c)) {
      throw new Error(`--concepts: "${c}" is no ShapeWorld colour (${evaluationColors.join(', ')}) or shape (${evaluationShapes.join(', ')})`)
    }
  }
  const variants = list(str('variants') ?? VARIANTS.join(','))
  for (const v of variants) if (!(VARIANTS as readonly string[]).includes(v)) throw new Error(`--variants: "${v}" is not one of ${VARIANTS.join(', ')}`)
  const counts = str('counts') === undefined ? undefined : ints('counts', str('counts')!)
  if (counts && counts.length !== 3) throw new Error('--counts takes three numbers: erasure, preserved, generalization')
  return {
    model: str('model') ?? 'shapeworld',
    concepts,
    variants: variants as (typeof VARIANTS)[number][],
    seeds: ints('seeds', str('seeds') ?? '1,2,3,4'),
    epochs: num('epochs', str('epochs'), 50),
    steps: num('steps', str('steps'), 20),
    guidance: num('guidance', str('guidance'), 5),
    counts: counts ? { erasure: counts[0]!, preserved: counts[1]!, generalization: counts[2]! } : undefined,
    m: num('m', str('m'), 50),
    n: num('n', str('n'), 50),
    lambda: num('lambda', str('lambda'), 0.1),
    lambda1: num('lambda1', str('lambda1'), 0.1),
    d1: num('d1', str('d1'), 0.5),
    d2: num('d2', str('d2'), 1),
    s1: num('s1', str('s1'), 0.99),
    s2: num('s2', str('s2'), 0.8),
    seed: num('seed', str('seed'), 0),
    loraImages: num('lora-images', str('lora-images'), 2),
    threads: num('threads', str('threads'), 0),
    keep: values.keep === true,
  }
}
type Settings = ReturnType<typeof settingsFromArgs>

const article = (word: string): string => (/^[aeiou]/.test(word) ? 'an' : 'a')

/**
 * The erasure spec for a ShapeWorld word: a colour is erased in every shape ("a {} circle"…) and
 * mapped to the uncoloured prompt, a shape in every colour ("a red {}"…); the other colours
 * (shapes) in every shape (colour) are preserved.
 */
function specFor(word: string): { concept: EvaluationConcept; spec: unknown } {
  const isColor = (evaluationColors as readonly string[]).includes(word)
  const templates = isColor ? evaluationShapes.map((s) => `${article(word)} {} ${s}`) : evaluationColors.map((c) => `${article(c)} ${c} {}`)
  // Stage 1 puts each preserved concept into every template: the other colours (shapes) as words.
  const preserve = (isColor ? evaluationColors : evaluationShapes).filter((w) => w !== word)
  const concept = (isColor ? { color: word } : { shape: word }) as EvaluationConcept
  // The synonym and associated prompts ride along as probes: stage 1 measures their embeddings.
  const probes = evaluationPrompts(concept).generalization
  return { concept, spec: { preset: 'custom', concepts: [{ concept: word, anchor: '', templates }], preserve, probes } }
}

function benchContext(label: string): JobContext {
  let last = ''
  return {
    jobId: `bench-${label}`,
    signal: new AbortController().signal,
    onProgress: (p) => {
      const text = `${label}: ${p.phase}${p.total === null ? '' : ` ${p.step}/${p.total}`}`
      if (text === last || !process.stderr.isTTY) return
      last = text
      process.stderr.write(`\r${text.padEnd(60)}`)
    },
    log: () => undefined,
  }
}

/**
 * Where the preserved and the generalization prompts' text embeddings sit relative to the mined
 * neighbourhood of the nearest erasure embedding e (the same rule as the map's, renderer
 * map-model.ts regionOf: inside when d/‖e‖ < D1 and cos ≥ S2). Residue outside it is what
 * mining cannot reach; a preserved prompt inside it is mapped to the anchor with the concept.
 */
function printProbes(word: string, points: readonly { kind: string; prompt: string; vector: Float32Array }[], params: { d1: number; s2: number; distanceUnit: string }): void {
  const erasure = points.filter((p) => p.kind === 'erasure')
  const norm = (v: Float32Array): number => Math.hypot(...v)
  const rows = points
    .filter((p) => p.kind === 'probe' || p.kind === 'preserved')
    .map((p) => {
      const near = erasure
        .map((e) => ({ e, d: Math.hypot(...e.vector.map((x, i) => x - p.vector[i]!)) }))
        .sort((a, b) => a.d - b.d)[0]!
      const dot = near.e.vector.reduce((acc, x, i) => acc + x * p.vector[i]!, 0)
      const cos = dot / (norm(near.e.vector) * norm(p.vector))
      const d = params.distanceUnit === 'relative' ? near.d / norm(near.e.vector) : near.d
      return { kind: p.kind === 'probe' ? 'residue' : 'keep', prompt: p.prompt, from: near.e.prompt, d, cos, inside: d < params.d1 && cos >= params.s2 }
    })
  if (rows.length === 0) return
  const unit = params.distanceUnit === 'relative' ? 'd/‖e‖' : 'd'
  console.log(`\n  ${word}: preserved (keep) and synonym/associated (residue) prompts against the nearest erasure embedding e (neighbourhood: ${unit} < D1 = ${params.d1}, cos ≥ S2 = ${params.s2})`)
  const width = Math.max(...rows.map((r) => r.prompt.length))
  const fromWidth = Math.max(...rows.map((r) => r.from.length))
  for (const r of rows) console.log(`    ${r.kind.padEnd(7)}  ${r.prompt.padEnd(width)}  e = ${r.from.padEnd(fromWidth)}  ${unit} ${r.d.toFixed(3)}  cos ${r.cos.toFixed(3)}  ${r.inside ? 'inside' : 'outside'}`)
}

const secondsSince = (t: number): number => (performance.now() - t) / 1000
const pct = (v: number): string => `${(v * 100).toFixed(1)}`

function printTable(rows: readonly Row[], variants: readonly string[]): void {
  const head = ['concept', 'variant', 'Acc_e ↓', 'Acc_s ↑', 'Acc_g ↓', 'H_o ↑', 'erase s', 'eval s']
  const body = rows.map((r) => [r.concept, r.variant, pct(r.metrics.accE), pct(r.metrics.accS), pct(r.metrics.accG), pct(r.metrics.ho), r.eraseS === null ? '—' : r.eraseS.toFixed(1), r.evalS.toFixed(1)])
  for (const v of variants) {
    const of = rows.filter((r) => r.variant === v)
    if (of.length < 2) continue
    const mean = (f: (m: ExperimentMetrics) => number): string => pct(of.reduce((s, r) => s + f(r.metrics), 0) / of.length)
    const erase = of.every((r) => r.eraseS !== null) ? of.reduce((s, r) => s + r.eraseS!, 0).toFixed(1) : '—'
    body.push(['average', v, mean((m) => m.accE), mean((m) => m.accS), mean((m) => m.accG), mean((m) => m.ho), erase, of.reduce((s, r) => s + r.evalS, 0).toFixed(1)])
  }
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)))
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`)
  for (const r of body) console.log(line(r))
  console.log('(accuracies in %; averages sum the seconds)')
}

async function main(): Promise<void> {
  const s: Settings = settingsFromArgs(process.argv.slice(2))
  const modelDir = path.resolve(resolveModelRef(s.model))
  const root = mkdtempSync(path.join(os.tmpdir(), 'realera-bench-erasure-'))
  const services = createServices({ dataDir: path.join(root, 'data'), defaultProjectsDir: path.join(root, 'projects'), demoStepDelayMs: 0, runtime: 'node', version: 'bench' }, () => undefined)
  const total = performance.now()
  try {
    await services.settings.set({ threads: s.threads, executionProvider: 'cpu' })
    const project = services.projects.open((await services.projects.create({ name: 'Erasure bench' })).id)
    const model = await services.models.register(project, { dir: modelDir }, benchContext('load'))
    const size = model.facts.sdVersion === 'custom' ? 64 : 512
    const evalSettings = { seeds: s.seeds, steps: s.steps, guidance: s.guidance, ...(s.counts ? { counts: s.counts } : {}) }
    console.log(`Erasure bench on ${modelDir} (${model.facts.sdVersion}, ${model.facts.crossAttentionLayers} cross-attention layers)`)
    console.log(`  concepts ${s.concepts.join(', ')}; variants ${s.variants.join(', ')}`)
    console.log(`  evaluation: seeds ${s.seeds.join(', ')}; counts ${s.counts ? `${s.counts.erasure}/${s.counts.preserved}/${s.counts.generalization}` : 'all prompts'} (erasure/preserved/generalization); DDIM ${s.steps} steps, guidance ${s.guidance}, ${size}×${size}`)
    console.log(`  erasure: seed ${s.seed}; λ ${s.lambda}, λ1 ${s.lambda1}; D1 ${s.d1}, D2 ${s.d2} (relative), S1 ${s.s1}, S2 ${s.s2}; M ${s.m}, N ${s.n}; LoRA ${s.epochs} epochs on ${s.loraImages} images; ORT threads ${s.threads || 'auto'}`)
    const rows: Row[] = []
    const residue = new Map<string, () => void>()
    for (const word of s.concepts) {
      const { concept, spec } = specFor(word)
      for (const variant of s.variants) {
        const label = `${word} ${variant}`
        const ctx = benchContext(label)
        if (variant === 'original') {
          const t = performance.now()
          const m = await services.cache.acquire(model.dir, { provider: 'cpu', threads: s.threads })
          const { metrics } = await evaluateErasure({
            generate: (prompt, seed) => drawRgb(m, { prompt, negativePrompt: '', seed, steps: s.steps, guidance: s.guidance, scheduler: 'ddim', width: size, height: size }, {}, ctx.signal),
            concept,
            seeds: s.seeds,
            ...(s.counts ? { counts: s.counts } : {}),
            classifier: services.evaluation.classifier,
            onProgress: (p) => ctx.onProgress({ phase: 'evaluate', step: p.step, total: p.total }),
          })
          rows.push({ concept: word, variant, metrics, eraseS: null, evalS: secondsSince(t) })
        } else {
          const parsed = startEraseSchema.safeParse({
            kind: 'erase',
            projectId: project.id,
            modelId: model.id,
            name: label,
            spec,
            params: { variant, seed: s.seed, m: s.m, n: s.n, d1: s.d1, d2: s.d2, s1: s.s1, s2: s.s2, lambda: s.lambda, lambda1: s.lambda1, epochs: s.epochs, loraImages: s.loraImages },
            gallery: { enabled: false, seeds: [s.seeds[0] ?? 1], steps: s.steps, guidance: s.guidance, scheduler: 'ddim', size },
          })
          if (!parsed.success) throw new Error(describeIssues(parsed.error))
          const t = performance.now()
          const exp = await services.erase.run(project, parsed.data, ctx)
          if (exp.status !== 'succeeded') throw new Error(`${label}: the erase ended ${exp.status}`)
          const eraseS = secondsSince(t)
          if (variant !== 'closed-form' && !residue.has(word)) {
            const points = services.experiments.repo(project).pointVectors(exp.id)
            residue.set(word, () => printProbes(word, points, exp.params))
          }
          const t2 = performance.now()
          const { experiment, evaluation } = services.evaluation.prepare(project, { kind: 'evaluate', projectId: project.id, experimentId: exp.id, concept, ...evalSettings })
          const outcome = await services.evaluation.run(project, experiment.id, evaluation, ctx)
          rows.push({ concept: word, variant, metrics: outcome.metrics, eraseS, evalS: secondsSince(t2) })
        }
        const r = rows[rows.length - 1]!
        if (process.stderr.isTTY) process.stderr.write('\r'.padEnd(61) + '\r')
        console.log(`  ${label}: H_o ${pct(r.metrics.ho)} % (${r.metrics.counts.erasure + r.metrics.counts.preserved + r.metrics.counts.generalization} images; ${r.eraseS === null ? '' : `erase ${r.eraseS.toFixed(1)} s, `}eval ${r.evalS.toFixed(1)} s)`)
      }
    }
    printTable(rows, s.variants)
    for (const print of residue.values()) print()
    console.log(`Total ${secondsSince(total).toFixed(0)} s.${s.keep ? ` Project kept in ${project.dir}.` : ''}`)
  } finally {
    await services.close()
    if (!s.keep) rmSync(root, { recursive: true, force: true })
  }
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  console.error(usage)
  process.exitCode = 1
})
