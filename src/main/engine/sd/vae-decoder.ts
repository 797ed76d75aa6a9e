import * as ort from 'onnxruntime-node'
import { floatTensor, inputInfo, toFloat32 } from './tensor-io'

/** SD's VAE latent scaling, applied outside the graph as diffusers does. */
export const VAE_SCALING = 0.18215

/** `latent_sample` [B, 4, h, w] → `sample` [B, 3, 8h, 8w] in [-1, 1]. */
export class VaeDecoder {
  private readonly floatType: ort.Tensor.Type

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly path: string,
  ) {
    this.floatType = inputInfo(session, 'latent_sample').type
  }

  static async create(path: string, options: ort.InferenceSession.SessionOptions): Promise<VaeDecoder> {
    return new VaeDecoder(await ort.InferenceSession.create(path, options), path)
  }

  /** Decodes unscaled latents (the scheduler's output): divides by the VAE scaling first. */
  async decode(latents: Float32Array, dims: readonly [number, number, number, number]): Promise<{ image: Float32Array; height: number; width: number }> {
    const scaled = Float32Array.from(latents, (x) => x / VAE_SCALING)
    const out = await this.session.run({ latent_sample: floatTensor(this.floatType, scaled, dims) })
    const y = out.sample ?? out[this.session.outputNames[0] ?? '']
    if (!y) throw new Error('vae_decoder produced no output')
    const [, , height, width] = y.dims
    return { image: toFloat32(y), height: height ?? 0, width: width ?? 0 }
  }

  async dispose(): Promise<void> {
    await this.session.release()
  }
}
