import * as ort from 'onnxruntime-node'
import { floatTensor, inputInfo, toFloat32 } from './tensor-io'

/** How this export takes its timestep: int64 [B], float [B], or one float scalar. */
export type TimestepKind = 'int64-batch' | 'float-batch' | 'float-scalar'

export interface UNetCall {
  readonly sample: Float32Array
  readonly timestep: number
  readonly context: Float32Array
  readonly batch: number
  readonly latentHeight: number
  readonly latentWidth: number
  readonly contextLength: number
  /** Extra feeds, e.g. K/V weights for the K/V-as-inputs variant. */
  readonly extra?: Readonly<Record<string, ort.Tensor>>
}

/** The denoising U-Net: `sample`, `timestep`, `encoder_hidden_states` → `out_sample`. */
export class UNet {
  readonly timestepKind: TimestepKind
  readonly floatType: ort.Tensor.Type
  readonly latentChannels: number
  readonly contextType: ort.Tensor.Type
  private readonly timestepType: ort.Tensor.Type

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly path: string,
  ) {
    const sample = inputInfo(session, 'sample')
    this.floatType = sample.type
    const channels = sample.shape[1]
    this.latentChannels = typeof channels === 'number' ? channels : 4
    this.contextType = inputInfo(session, 'encoder_hidden_states').type
    const t = inputInfo(session, 'timestep')
    this.timestepType = t.type
    if (t.type === 'int64') this.timestepKind = 'int64-batch'
    else if (t.type === 'float32' || t.type === 'float16') this.timestepKind = t.rank === 0 ? 'float-scalar' : 'float-batch'
    else throw new Error(`unet timestep has type ${t.type}; expected int64 or float`)
  }

  static async create(path: string, options: ort.InferenceSession.SessionOptions): Promise<UNet> {
    return new UNet(await ort.InferenceSession.create(path, options), path)
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames
  }

  async run(call: UNetCall): Promise<Float32Array> {
    const { batch, latentHeight: h, latentWidth: w } = call
    const feeds: Record<string, ort.Tensor> = {
      sample: floatTensor(this.floatType, call.sample, [batch, this.latentChannels, h, w]),
      timestep: this.timestepTensor(call.timestep, batch),
      encoder_hidden_states: floatTensor(this.contextType, call.context, [batch, call.contextLength, call.context.length / (batch * call.contextLength)]),
      ...call.extra,
    }
    const out = await this.session.run(feeds)
    const y = out.out_sample ?? out[this.session.outputNames[0] ?? '']
    if (!y) throw new Error('unet produced no output')
    return toFloat32(y)
  }

  /** The timestep as this export takes it (int64 [B], float [B] or a float scalar). */
  timestepTensor(t: number, batch: number): ort.Tensor {
    switch (this.timestepKind) {
      case 'int64-batch':
        return new ort.Tensor('int64', new BigInt64Array(batch).fill(BigInt(Math.round(t))), [batch])
      case 'float-batch':
        return floatTensor(this.timestepType, new Float32Array(batch).fill(t), [batch])
      case 'float-scalar':
        return floatTensor(this.timestepType, Float32Array.of(t), [])
    }
  }

  async dispose(): Promise<void> {
    await this.session.release()
  }
}
