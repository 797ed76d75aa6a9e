/**
 * Batches for the training loop, one step ahead. In-thread by default (tests, and the same
 * bytes either way: a batch is a pure function of seed and step); with `worker`, a worker
 * thread draws step n+1 while the gradient session runs step n. The worker is started through
 * tsx's CommonJS hook, so it needs the script to run under tsx (`npm run train:shapeworld`).
 */
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { TinyVocab } from '../tiny/tiny-vocab'
import type { ShapeWorldModelConfig } from './model-config'
import type { PatchPca } from './model-pca'
import { makeBatch } from './train-data'
import type { BatchSource, TrainingBatch } from './train-data'

/** What the worker needs to draw batches on its own (structured-cloned into it). */
export interface BatchWorkerInit {
  readonly config: ShapeWorldModelConfig
  readonly pca: PatchPca
  readonly vocab: TinyVocab
  readonly captionDropout: number
  readonly seed: number
  readonly batch: number
}

export interface BatchPrefetcher {
  /** The batch of `step`; asks for `step + 1` in the background when `ahead` is set. */
  get(step: number, ahead: boolean): Promise<TrainingBatch>
  close(): Promise<void>
}

export function inThreadPrefetcher(
  source: BatchSource,
  seed: number,
  size: number,
): BatchPrefetcher {
  return {
    get: (step) => Promise.resolve(makeBatch(source, seed, step, size)),
    close: () => Promise.resolve(),
  }
}

export function workerPrefetcher(init: BatchWorkerInit): BatchPrefetcher {
  const entry = join(__dirname, 'train-data-worker.ts')
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)})`, {
    eval: true,
    workerData: init,
  })
  const pending = new Map<
    number,
    { resolve: (b: TrainingBatch) => void; reject: (e: Error) => void }
  >()
  const ready = new Map<number, Promise<TrainingBatch>>()
  let failure: Error | null = null
  worker.on('message', (m: { step: number; batch: TrainingBatch }) => {
    pending.get(m.step)?.resolve(m.batch)
    pending.delete(m.step)
  })
  worker.on('error', (err) => {
    failure = err
    for (const p of pending.values()) p.reject(err)
    pending.clear()
  })
  const request = (step: number): Promise<TrainingBatch> => {
    if (failure !== null) return Promise.reject(failure)
    const promise = new Promise<TrainingBatch>((resolve, reject) => {
      pending.set(step, { resolve, reject })
    })
    worker.postMessage({ step })
    ready.set(step, promise)
    return promise
  }
  return {
    async get(step, ahead) {
      const batch = ready.get(step) ?? request(step)
      ready.delete(step)
      if (ahead && !ready.has(step + 1)) void request(step + 1).catch(() => undefined)
      return batch
    },
    async close() {
      await worker.terminate()
    },
  }
}
