/**
 * Trains the ShapeWorld model: the text encoder and the U-Net jointly, by v-prediction on
 * SD's schedule, with gradients from our ONNX autodiff (one gradient graph for both networks,
 * run in a plain ORT session) and Adam in TypeScript. Deterministic from the seed and resumable
 * exactly from its checkpoint (train-checkpoint.ts). The output folder holds:
 *   checkpoint.bin       the state to resume from (written every few minutes, atomically)
 *   train-log.jsonl      one JSON line per logged step (loss, smoothed loss, lr, timing)
 *   samples/step-N.png   a sample grid per checkpoint (samples/prompts.txt lists the rows)
 *   model/               the latest export, a diffusers ONNX folder loadSdModel opens
 */
import { existsSync } from 'node:fs'
import { appendFile, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import type { AdamConfig } from '../erasure/lora/adam'
import { adamStep, initAdam } from '../erasure/lora/adam'
import { buildGradientModel, openModelSession } from '../onnx/autodiff'
import type { GradientModel, ModelSession } from '../onnx/autodiff'
import { latentSide, validateModelConfig } from './model-config'
import { readTrainingInfo, writeShapeWorldPipeline } from './model-export'
import { buildTrainingGraph, initialParams } from './model-graphs'
import type { ParamSet } from './model-graphs'
import { readShapeWorldParams } from './model-import'
import { fitPatchPca } from './model-pca'
import { buildShapeWorldVocab, shapeWorldTokenizer } from './model-vocab'
import { loadCheckpoint, saveCheckpoint } from './train-checkpoint'
import type { TrainSettings, TrainState } from './train-checkpoint'
import { makeBatch, trainingScheduler } from './train-data'
import { channelLossWeights, latentLossWeightTensor } from './train-loss-weight'
import type { BatchSource, TrainingBatch } from './train-data'
import { inThreadPrefetcher, workerPrefetcher } from './train-prefetch'
import { DEFAULT_SAMPLE_GRID, sampleGrid } from './train-samples'
import type { SampleGridSpec } from './train-samples'
import {
  emaDecayAt,
  formatDuration,
  learningRate,
  smoothedLoss,
  updateAverage,
} from './train-schedule'

export interface TrainRun {
  readonly outDir: string
  /** Continue from outDir/checkpoint.bin (its settings must match). */
  readonly resume: boolean
  /** Checkpoint (and sample grid, and export) every this many seconds; default 300. */
  readonly checkpointSeconds?: number
  /** Also checkpoint every this many steps. */
  readonly checkpointSteps?: number
  /** Stop after this step as if interrupted (checkpoint written, no final export). */
  readonly stopAtStep?: number
  /** Console lines every this many steps; default 25. */
  readonly logEvery?: number
  /** ORT intra-op threads for the gradient session (0: ORT decides). */
  readonly threads?: number
  /** Draw batches in a worker thread, one step ahead (needs tsx; see train-prefetch.ts). */
  readonly dataWorker?: boolean
  /** Sample grids at checkpoints; false for none. */
  readonly samples?: SampleGridSpec | false
  readonly log?: (line: string) => void
  /** Stops at the next step boundary, after writing a checkpoint. */
  readonly signal?: AbortSignal
}

export interface TrainResult {
  readonly state: TrainState
  /** The exported folder (written at every checkpoint and at the end). */
  readonly modelDir: string
  readonly finished: boolean
  /** Mean seconds per step in this session (after the first, warm-up step). */
  readonly secondsPerStep: number | null
}

const LOSS_TARGET = 'shapeworld_target'
const LOSS_WEIGHT = 'shapeworld_loss_weight'

export function checkpointPath(outDir: string): string {
  return join(outDir, 'checkpoint.bin')
}

function sameSettings(a: TrainSettings, b: TrainSettings): string[] {
  const diff: string[] = []
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof TrainSettings)[])
  for (const key of keys) {
    if (key === 'decaySteps') continue
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) diff.push(key)
  }
  return diff
}

/**
 * The settings to continue a checkpoint with: its own, or, when only `steps` grew, an
 * extension: the cosine still ends where the run first planned it, and the added steps run at
 * its floor, so the steps already taken keep their learning rates.
 */
function resumedSettings(
  saved: TrainSettings,
  requested: TrainSettings,
  dir: string,
): TrainSettings {
  const diff = sameSettings(saved, requested)
  if (diff.length === 0) return saved
  if (diff.length === 1 && diff[0] === 'steps' && requested.steps > saved.steps) {
    return { ...saved, steps: requested.steps, decaySteps: saved.decaySteps ?? saved.steps }
  }
  throw new Error(
    `The checkpoint in ${dir} was made with other settings (${diff.join(', ')}); resume with the same ones (only --steps may grow).`,
  )
}

async function startState(settings: TrainSettings, run: TrainRun): Promise<TrainState> {
  const file = checkpointPath(run.outDir)
  if (existsSync(file)) {
    if (!run.resume) {
      throw new Error(
        `${file} exists: pass --resume to continue that run, or choose another --out folder.`,
      )
    }
    const state = await loadCheckpoint(file)
    return { ...state, settings: resumedSettings(state.settings, settings, run.outDir) }
  }
  if (run.resume) throw new Error(`--resume: there is no checkpoint in ${run.outDir}.`)
  const vocab = buildShapeWorldVocab()
  const vocabSize = Object.keys(vocab.vocab).length
  const params =
    settings.initFrom === undefined
      ? initialParams(settings.config, vocabSize, settings.seed)
      : await readShapeWorldParams(settings.initFrom, settings.config, vocabSize)
  return {
    settings,
    step: 0,
    params,
    vocab,
    adam: initAdam([...params.values()].map((p) => p.values)),
    average: [...params.values()].map((p) => p.values.slice()),
    pca: fitPatchPca(settings.config.latentChannels, settings.config.vaeFitImages),
    losses: new Float32Array(0),
    trainSeconds: 0,
  }
}

interface GradientRunner {
  readonly gradient: GradientModel
  readonly session: ModelSession
  readonly keys: readonly string[]
  run(
    batch: TrainingBatch,
    params: readonly Float32Array[],
  ): Promise<{ loss: number; grads: Float32Array[] }>
}

async function gradientRunner(
  state: TrainState,
  source: BatchSource,
  vocabSize: number,
  threads: number,
): Promise<GradientRunner> {
  const { settings, params } = state
  const cfg = settings.config
  const graph = buildTrainingGraph(cfg, vocabSize)
  const keys = [...params.keys()]
  const h = latentSide(cfg)
  const latentDims = [settings.batch, cfg.latentChannels, h, h]
  const feeds = (
    batch: TrainingBatch,
    values: readonly Float32Array[],
  ): Record<string, ort.Tensor> => {
    const f: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int32', batch.inputIds, [batch.size, source.tokenizer.maxLength]),
      sample: new ort.Tensor('float32', batch.sample, latentDims),
      timestep: new ort.Tensor('int64', batch.timesteps, [batch.size]),
    }
    keys.forEach((key, i) => {
      f[graph.inputs.get(key)!] = new ort.Tensor('float32', values[i]!, [...params.get(key)!.dims])
    })
    return f
  }
  const values = keys.map((k) => params.get(k)!.values)
  const probeBatch = makeBatch(source, settings.seed, 0, settings.batch)
  const weighting = settings.lossWeighting ?? 'uniform'
  const lossWeight = latentLossWeightTensor(
    channelLossWeights(state.pca, weighting),
    settings.batch,
    h,
  )
  const gradient = await buildGradientModel(graph.model, {
    wrt: keys.map((k) => graph.inputs.get(k)!),
    loss:
      weighting === 'uniform'
        ? { kind: 'mse', output: graph.output, targetInput: LOSS_TARGET }
        : {
            kind: 'weighted-mse',
            output: graph.output,
            targetInput: LOSS_TARGET,
            weightInput: LOSS_WEIGHT,
          },
    probeFeeds: feeds(probeBatch, values),
  })
  if (gradient.disconnected.length > 0) {
    throw new Error(`parameters without a gradient: ${gradient.disconnected.join(', ')}`)
  }
  const session = await openModelSession(gradient.model, {
    sessionOptions: {
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      ...(threads > 0 ? { intraOpNumThreads: threads } : {}),
    },
  })
  const fetches = [gradient.loss, ...keys.map((k) => gradient.grads[graph.inputs.get(k)!]!)]
  return {
    gradient,
    session,
    keys,
    async run(batch, current) {
      const out = await session.session.run(
        {
          ...feeds(batch, current),
          [LOSS_TARGET]: new ort.Tensor('float32', batch.target, latentDims),
          ...(weighting === 'uniform'
            ? {}
            : { [LOSS_WEIGHT]: new ort.Tensor('float32', lossWeight, latentDims) }),
        },
        fetches,
      )
      const loss = (out[gradient.loss]!.data as Float32Array)[0]!
      const grads = keys.map(
        (k) => out[gradient.grads[graph.inputs.get(k)!]!]!.data as Float32Array,
      )
      return { loss, grads }
    },
  }
}

export async function trainShapeWorld(
  requested: TrainSettings,
  run: TrainRun,
): Promise<TrainResult> {
  validateModelConfig(requested.config)
  const log = run.log ?? ((line: string) => console.log(line))
  await mkdir(run.outDir, { recursive: true })
  let state = await startState(requested, run)
  const settings = state.settings
  if (settings.decaySteps !== undefined && settings.decaySteps < settings.steps)
    log(
      `extended run: the cosine ends at step ${settings.decaySteps}; steps after it run at lr ${(settings.lr * settings.minLrRatio).toExponential(2)}`,
    )
  const vocab = state.vocab
  const vocabSize = Object.keys(vocab.vocab).length
  const tokenizer = shapeWorldTokenizer(vocab, settings.config.text.maxLength)
  const source: BatchSource = {
    config: settings.config,
    pca: state.pca,
    tokenizer,
    scheduler: trainingScheduler(),
    captionDropout: settings.captionDropout,
  }
  const runner = await gradientRunner(state, source, vocabSize, run.threads ?? 0)
  const modelDir = join(run.outDir, 'model')
  const startedFrom =
    settings.initFrom === undefined ? undefined : await readTrainingInfo(settings.initFrom)
  const values = runner.keys.map((k) => state.params.get(k)!.values)
  const losses: number[] = Array.from(state.losses)
  const logEvery = run.logEvery ?? 25
  const checkpointMs = (run.checkpointSeconds ?? 300) * 1000
  const last = Math.min(settings.steps, run.stopAtStep ?? settings.steps)
  const sessionStart = performance.now()
  const secondsBefore = state.trainSeconds
  let lastCheckpoint = performance.now()
  let stepTimes: { sum: number; count: number } = { sum: 0, count: 0 }
  let recent: number | null = null
  let recentCpu: number | null = null
  let sessionSteps = 0

  /** The weights the export holds: their moving average, when the run keeps one. */
  const exported = (): ParamSet => {
    if (settings.emaDecay <= 0) return state.params
    const out: ParamSet = new Map()
    runner.keys.forEach((key, i) => {
      out.set(key, { dims: state.params.get(key)!.dims, values: state.average[i]! })
    })
    return out
  }

  const checkpoint = async (): Promise<void> => {
    const trainSeconds = secondsBefore + (performance.now() - sessionStart) / 1000
    state = { ...state, losses: Float32Array.from(losses), trainSeconds }
    await saveCheckpoint(checkpointPath(run.outDir), state)
    await writeShapeWorldPipeline(
      modelDir,
      { config: settings.config, vocab, params: exported(), pca: state.pca },
      {
        seed: settings.seed,
        step: state.step,
        totalSteps: settings.steps,
        batch: settings.batch,
        smoothedLoss: smoothedLoss(losses),
        lossWeighting: settings.lossWeighting ?? 'uniform',
        ...(settings.initFrom === undefined ? {} : { startedFrom }),
      },
    )
    if (run.samples !== false) {
      const spec = run.samples ?? DEFAULT_SAMPLE_GRID
      const dir = join(run.outDir, 'samples')
      await mkdir(dir, { recursive: true })
      await writeFile(
        join(dir, `step-${String(state.step).padStart(6, '0')}.png`),
        await sampleGrid(modelDir, spec),
      )
      await writeFile(
        join(dir, 'prompts.txt'),
        `rows: ${spec.prompts.join(' | ')}\ncolumns: seeds ${spec.seeds.join(', ')}; DDIM ${spec.steps} steps, guidance ${spec.guidance}\n`,
      )
    }
    lastCheckpoint = performance.now()
    log(`checkpoint at step ${state.step}: ${checkpointPath(run.outDir)}, model in ${modelDir}`)
  }

  log(
    `ShapeWorld training: ${runner.keys.length} parameter tensors, ${values.reduce((n, v) => n + v.length, 0)} values; gradient graph ${runner.gradient.stats.forwardNodes} forward + ${runner.gradient.stats.backwardNodes} backward nodes; ${state.step === 0 ? 'starting' : `resuming at step ${state.step}`} of ${settings.steps}`,
  )
  const batches = run.dataWorker
    ? workerPrefetcher({
        config: settings.config,
        pca: state.pca,
        vocab,
        captionDropout: settings.captionDropout,
        seed: settings.seed,
        batch: settings.batch,
      })
    : inThreadPrefetcher(source, settings.seed, settings.batch)
  try {
    while (state.step < last) {
      if (run.signal?.aborted) break
      const t0 = performance.now()
      const cpu0 = process.cpuUsage()
      const step = state.step + 1
      const batch = await batches.get(step, step < last)
      const { loss, grads } = await runner.run(batch, values)
      if (!Number.isFinite(loss))
        throw new Error(`the loss is ${loss} at step ${step}; lower --lr or check the data`)
      const adam: AdamConfig = {
        lr: learningRate(step, settings),
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        maxGradNorm: settings.maxGradNorm,
      }
      const gradNorm = adamStep(values, grads, state.adam, adam)
      const decay = emaDecayAt(step, settings.emaDecay)
      if (decay > 0) updateAverage(state.average, values, decay)
      losses.push(loss)
      state = { ...state, step }
      const dt = (performance.now() - t0) / 1000
      // The session's first run includes ORT's one-time allocations: left out of the mean.
      if (++sessionSteps > 1) stepTimes = { sum: stepTimes.sum + dt, count: stepTimes.count + 1 }
      recent = recent === null ? dt : 0.9 * recent + 0.1 * dt
      const used = process.cpuUsage(cpu0)
      const cpu = (used.user + used.system) / 1e6
      recentCpu = recentCpu === null ? cpu : 0.9 * recentCpu + 0.1 * cpu
      if (step % logEvery === 0 || step === last) {
        const smooth = smoothedLoss(losses)
        const eta = recent * (settings.steps - step)
        log(
          `step ${step}/${settings.steps}  loss ${loss.toFixed(4)}  smoothed ${smooth?.toFixed(4)}  lr ${adam.lr.toExponential(2)}  |g| ${gradNorm.toFixed(3)}  ${recent.toFixed(3)} s/step (cpu ${recentCpu.toFixed(3)} s)  ETA ${formatDuration(eta)}`,
        )
        await appendFile(
          join(run.outDir, 'train-log.jsonl'),
          `${JSON.stringify({ step, loss, smoothed: smooth, lr: adam.lr, gradNorm, secondsPerStep: recent, cpuSecondsPerStep: recentCpu })}\n`,
        )
      }
      const due =
        performance.now() - lastCheckpoint >= checkpointMs ||
        (run.checkpointSteps !== undefined && step % run.checkpointSteps === 0)
      if (due && step < last) await checkpoint()
    }
    await checkpoint()
  } finally {
    await batches.close()
    await runner.session.dispose()
  }
  const finished = state.step >= settings.steps
  if (finished)
    log(
      `done: ${settings.steps} steps in ${formatDuration(state.trainSeconds)} of training; the model is in ${modelDir}`,
    )
  return {
    state,
    modelDir,
    finished,
    secondsPerStep: stepTimes.count > 0 ? stepTimes.sum / stepTimes.count : null,
  }
}
