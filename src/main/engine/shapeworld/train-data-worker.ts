/**
 * Worker-thread entry that draws training batches (train-data.ts) while the main thread runs
 * the gradient session: ORT's run blocks the thread that calls it, so rendering the next batch
 * there would add its time to every step. Started by train-prefetch.ts; answers `{ step }`
 * with that step's batch, its buffers transferred.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { shapeWorldTokenizer } from './model-vocab'
import { makeBatch, trainingScheduler } from './train-data'
import type { BatchWorkerInit } from './train-prefetch'

const init = workerData as BatchWorkerInit
const source = {
  config: init.config,
  pca: init.pca,
  tokenizer: shapeWorldTokenizer(init.vocab, init.config.text.maxLength),
  scheduler: trainingScheduler(),
  captionDropout: init.captionDropout,
}

parentPort?.on('message', (message: { step: number }) => {
  const batch = makeBatch(source, init.seed, message.step, init.batch)
  const arrays = [batch.inputIds, batch.sample, batch.timesteps, batch.target]
  // makeBatch allocates plain (non-shared) arrays, so their buffers can be moved, not copied.
  parentPort?.postMessage(
    { step: message.step, batch },
    arrays.map((a) => a.buffer as ArrayBuffer),
  )
})
