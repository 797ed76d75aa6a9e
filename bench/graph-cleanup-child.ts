import * as ort from 'onnxruntime-node'
import { writeFile } from 'node:fs/promises'
import { readModel } from '../src/main/engine/onnx'
import { createNoiseSource } from '../src/main/engine/sd/noise'
import { openUNet } from '../src/main/engine/sd/open-unet'
import { resolveRuntime, sessionOptions } from '../src/main/engine/sd/session-options'
import { timeIt } from './timing'

/**
 * One measured configuration of bench/graph-cleanup.ts, run in its own process so that its
 * peak RSS (`maxRSS` at exit) belongs to that configuration alone. Reads a JSON job from argv,
 * answers over the fork IPC channel.
 */
export type ChildJob =
  | { kind: 'forward'; model: string; runs: number; output: string }
  | { kind: 'open'; unet: string; cacheDir: string; optimizedCache: boolean; output?: string }

export interface ChildResult {
  createMs: number
  forwardMs: number[]
  /** 'off' | 'written' | 'hit' for 'open' jobs. */
  cache: string | null
  maxRssKiB: number
}

/** SD1.5 at 64×64 latents (512×512 images), batch 2 as classifier-free guidance runs it. */
function feeds(): Record<string, ort.Tensor> {
  const noise = createNoiseSource(1)
  return {
    sample: new ort.Tensor('float32', noise.normal(2 * 4 * 64 * 64), [2, 4, 64, 64]),
    timestep: new ort.Tensor('int64', BigInt64Array.of(500n, 500n), [2]),
    encoder_hidden_states: new ort.Tensor('float32', noise.normal(2 * 77 * 768), [2, 77, 768]),
  }
}

async function forward(
  run: () => Promise<ort.Tensor>,
  runs: number,
  warmup: number,
  output?: string,
) {
  let last: ort.Tensor | undefined
  const timed = await timeIt(
    async () => {
      last = await run()
    },
    runs,
    warmup,
  )
  if (output !== undefined && last !== undefined) {
    const data = last.data as Float32Array
    await writeFile(output, Buffer.from(data.buffer, data.byteOffset, data.byteLength))
  }
  return timed.all
}

async function main(): Promise<ChildResult> {
  const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob
  const options = sessionOptions(resolveRuntime({ provider: 'cpu', threads: 0 }))
  const f = feeds()
  const t = performance.now()
  if (job.kind === 'forward') {
    const session = await ort.InferenceSession.create(job.model, options)
    const createMs = performance.now() - t
    const run = async (): Promise<ort.Tensor> => (await session.run(f)).out_sample!
    const forwardMs = await forward(run, job.runs, 1, job.output)
    await session.release()
    return { createMs, forwardMs, cache: null, maxRssKiB: process.resourceUsage().maxRSS }
  }
  const proto = await readModel(job.unet)
  const { unet, info } = await openUNet(job.unet, proto, [], options, {
    cacheDir: job.cacheDir,
    kvInputs: false,
    cleanup: true,
    optimizedCache: job.optimizedCache,
    provider: 'cpu',
    log: (m) => console.log(`  (cache) ${m}`),
  })
  const createMs = performance.now() - t
  const call = {
    sample: f.sample!.data as Float32Array,
    timestep: 500,
    context: f.encoder_hidden_states!.data as Float32Array,
    batch: 2,
    latentHeight: 64,
    latentWidth: 64,
    contextLength: 77,
  }
  const run = async (): Promise<ort.Tensor> =>
    new ort.Tensor('float32', await unet.run(call), [2, 4, 64, 64])
  const forwardMs = job.output === undefined ? [] : await forward(run, 1, 0, job.output)
  await unet.dispose()
  const maxRssKiB = process.resourceUsage().maxRSS
  return { createMs, forwardMs, cache: info.optimizedCache, maxRssKiB }
}

main().then(
  (result) => {
    process.send?.(result)
  },
  (err: unknown) => {
    console.error(err)
    process.exitCode = 1
  },
)
