import * as ort from 'onnxruntime-node'
import { inputInfo, toFloat32 } from './tensor-io'

/**
 * CLIP text encoder: `input_ids` [B, 77] (int32 in diffusers' conversion script, int64 in
 * Optimum exports) → `last_hidden_state` [B, 77, d].
 */
export class TextEncoder {
  readonly idsType: 'int32' | 'int64'

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly path: string,
  ) {
    const info = inputInfo(session, 'input_ids')
    if (info.type !== 'int32' && info.type !== 'int64') {
      throw new Error(`text_encoder input_ids has type ${info.type}; expected int32 or int64`)
    }
    this.idsType = info.type
  }

  static async create(path: string, options: ort.InferenceSession.SessionOptions): Promise<TextEncoder> {
    return new TextEncoder(await ort.InferenceSession.create(path, options), path)
  }

  /** `ids` holds B rows of `length` ids; returns [B, length, d] row-major and d. */
  async encode(ids: Int32Array, batch: number): Promise<{ hidden: Float32Array; dim: number }> {
    const length = ids.length / batch
    const tensor =
      this.idsType === 'int64'
        ? new ort.Tensor('int64', BigInt64Array.from(ids, (x) => BigInt(x)), [batch, length])
        : new ort.Tensor('int32', ids, [batch, length])
    const out = await this.session.run({ input_ids: tensor })
    const hidden = out.last_hidden_state
    if (!hidden) throw new Error('text_encoder has no last_hidden_state output')
    const dim = hidden.dims[2]
    if (dim === undefined) throw new Error('text_encoder output is not [B, L, d]')
    return { hidden: toFloat32(hidden), dim }
  }

  async dispose(): Promise<void> {
    await this.session.release()
  }
}
