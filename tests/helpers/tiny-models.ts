import path from 'node:path'
import type { TinyPipelineFacts, TinyVariant } from '../../src/main/engine/tiny'
import { writeTinyPipeline } from '../../src/main/engine/tiny'

/** Generates tiny pipelines once per test file (they are made at test time, never committed). */
export function tinyModelFactory(root: string): (variant: TinyVariant, seed?: number) => Promise<{ dir: string; facts: TinyPipelineFacts }> {
  const made = new Map<string, Promise<{ dir: string; facts: TinyPipelineFacts }>>()
  return (variant, seed = 1) => {
    const key = `${variant}-${seed}`
    let p = made.get(key)
    if (!p) {
      const dir = path.join(root, key)
      p = writeTinyPipeline(dir, { variant, seed }).then((facts) => ({ dir, facts }))
      made.set(key, p)
    }
    return p
  }
}
