import path from 'node:path'
import type { LoadOptions, SdModel } from '../engine/sd/sd-model'
import { loadSdModel } from '../engine/sd/sd-model'
import type { RuntimeOptions } from '../engine/sd/session-options'

/**
 * Keeps the last loaded model's sessions open: creating ONNX Runtime sessions for an SD model
 * takes seconds, and a user generates many images with one model. Only one model is held, since
 * an SD1.5 U-Net alone takes ~3.5 GB. Loads are serialized (jobs already run one at a time).
 */
export class ModelCache {
  private held: { key: string; model: SdModel } | null = null

  constructor(private readonly cacheDir: string) {}

  async acquire(dir: string, runtime: RuntimeOptions, opts: { kvInputs?: boolean } = {}): Promise<SdModel> {
    const key = JSON.stringify([path.resolve(dir), runtime.provider, runtime.threads, opts.kvInputs === true])
    if (this.held?.key === key) return this.held.model
    await this.release()
    const options: LoadOptions = { ...runtime, cacheDir: this.cacheDir, kvInputs: opts.kvInputs === true }
    const model = await loadSdModel(dir, options)
    this.held = { key, model }
    return model
  }

  async release(): Promise<void> {
    const held = this.held
    this.held = null
    await held?.model.dispose()
  }
}
