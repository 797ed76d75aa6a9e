import { fork } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { readModel } from '../src/main/engine/onnx'
import { cleanupGraph } from '../src/main/engine/onnx/surgery/cleanup'
import { writeDerivedModel } from '../src/main/engine/sd/graph-cache'
import { writeTinyPipeline } from '../src/main/engine/tiny'
import type { ChildJob, ChildResult } from './graph-cleanup-child'
import { fmtMs, report } from './timing'

const CACHE = path.resolve(__dirname, '.cache')

/**
 * The SD1.5-width U-Net exported the diffusers 0.21 way (baddbmm attention), random weights,
 * generated once into bench/.cache (3.4 GB, git-ignored).
 */
async function baddbmmModel(): Promise<string> {
  const dir = path.join(CACHE, 'sd15-width-baddbmm-seed1')
  if (!existsSync(path.join(dir, 'model_index.json'))) {
    console.log(`generating the SD1.5-width baddbmm model into ${dir} (3.4 GB)…`)
    const t = performance.now()
    await writeTinyPipeline(dir, { variant: 'sd15-width', seed: 1, attention: 'baddbmm' })
    console.log(`  done in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  }
  return dir
}

/** Runs one configuration in a fresh process (so its peak RSS is its own). */
function child(job: ChildJob): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = fork(path.join(__dirname, 'graph-cleanup-child.ts'), [JSON.stringify(job)], {
      execArgv: process.execArgv,
    })
    let result: ChildResult | undefined
    p.on('message', (m) => {
      result = m as ChildResult
    })
    p.on('error', reject)
    p.on('exit', (code) => {
      if (result !== undefined && code === 0) resolve(result)
      else reject(new Error(`benchmark child ${job.kind} exited with ${code}`))
    })
  })
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? NaN
}
const gib = (kib: number): string => `${(kib / 1024 / 1024).toFixed(2)} GiB`

function maxAbsDiff(a: string, b: string): number {
  const x = new Float32Array(readFileSync(a).buffer.slice(0))
  const y = new Float32Array(readFileSync(b).buffer.slice(0))
  let worst = x.length === y.length ? 0 : Infinity
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!))
  return worst
}

/**
 * The load-time cleanup on a real-size graph: SD1.5-width U-Net with diffusers 0.21's baddbmm
 * attention, 64×64 latents, batch 2, CPU. (a) forward time and peak RSS of the graph as
 * exported vs cleaned, each in its own process; (b) U-Net session creation through the loader
 * without vs with ORT's optimized-graph cache.
 */
export async function benchGraphCleanup(): Promise<void> {
  const dir = await baddbmmModel()
  const unet = path.join(dir, 'unet', 'model.onnx')
  const work = path.join(CACHE, 'graph-cleanup')
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })

  const t = performance.now()
  const cleaned = cleanupGraph(await readModel(unet))
  const cleanupMs = performance.now() - t
  const cleanedFile = await writeDerivedModel(
    () => cleaned.model,
    path.dirname(unet),
    path.join(work, 'cleaned'),
    'bench',
  )
  const out = (name: string): string => path.join(work, `${name}.f32`)
  // Alternating rounds, so load from anything else on the machine hits both graphs alike.
  const rounds = 2
  const original: ChildResult[] = []
  const clean: ChildResult[] = []
  for (let i = 0; i < rounds; i++) {
    console.log(`round ${i + 1}/${rounds}: forward as exported, then cleaned…`)
    original.push(await child({ kind: 'forward', model: unet, runs: 1, output: out('original') }))
    clean.push(
      await child({ kind: 'forward', model: cleanedFile, runs: 1, output: out('cleaned') }),
    )
  }

  const cacheDir = path.join(work, 'loader-cache')
  const open = (optimizedCache: boolean, output?: string): Promise<ChildResult> =>
    child({ kind: 'open', unet, cacheDir, optimizedCache, ...(output ? { output } : {}) })
  console.log('session creation through the loader…')
  await open(false) // writes the cleaned graph into the cache folder: not what is timed
  const noCache = [await open(false), await open(false)]
  const written = await open(true)
  const hits = [await open(true, out('cached')), await open(true)]
  if (written.cache !== 'written' || hits.some((h) => h.cache !== 'hit')) {
    throw new Error(
      `unexpected cache states: ${written.cache}, ${hits.map((h) => h.cache).join(', ')}`,
    )
  }

  const [fo, fc] = [original, clean].map((rs) => median(rs.flatMap((r) => r.forwardMs)))
  const [ro, rc] = [original, clean].map((rs) => Math.max(...rs.map((r) => r.maxRssKiB)))
  if (fo === undefined || fc === undefined || ro === undefined || rc === undefined)
    throw new Error('no measurements')
  const noCacheMs = Math.min(...noCache.map((r) => r.createMs))
  const hitMs = Math.min(...hits.map((r) => r.createMs))
  const r = cleaned.report
  report('Graph cleanup, SD1.5 widths with baddbmm attention, 64×64 latents, batch 2, CPU', [
    [
      'cleanup pass (in process)',
      `${fmtMs(cleanupMs)}: ${r.zeroAdds} zero Adds removed (${r.expanded} as Expand), ${r.removedNodes} nodes, ${r.removedInitializers} initializers`,
    ],
    [`forward, as exported (median of ${rounds})`, fmtMs(fo)],
    [
      `forward, cleaned (median of ${rounds})`,
      `${fmtMs(fc)}  → ${(fc / fo).toFixed(3)}× as exported`,
    ],
    ['peak RSS, as exported', gib(ro)],
    ['peak RSS, cleaned', `${gib(rc)}  → ${(rc / ro).toFixed(3)}× as exported`],
    [
      'output, cleaned vs as exported (max |Δ|)',
      maxAbsDiff(out('original'), out('cleaned')).toExponential(2),
    ],
    [
      'output, cached graph vs cleaned (max |Δ|)',
      maxAbsDiff(out('cleaned'), out('cached')).toExponential(2),
    ],
    [
      'U-Net session, no optimized-graph cache',
      `${fmtMs(noCacheMs)}  (peak RSS after creation ${gib(noCache[0]!.maxRssKiB)})`,
    ],
    [
      'U-Net session, first load writing the cache',
      `${fmtMs(written.createMs)}  → ${(written.createMs / noCacheMs).toFixed(3)}× no cache`,
    ],
    [
      'U-Net session, from the cache',
      `${fmtMs(hitMs)}  → ${(hitMs / noCacheMs).toFixed(3)}× no cache (peak RSS after creation ${gib(hits[1]!.maxRssKiB)})`,
    ],
    [
      'peak RSS, from the cache incl. one forward',
      `${gib(hits[0]!.maxRssKiB)}  → ${(hits[0]!.maxRssKiB / rc).toFixed(3)}× cleaned without cache`,
    ],
  ])
}
