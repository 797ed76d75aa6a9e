import * as ort from 'onnxruntime-node'
import { float16BitsToFloat32, float32ToFloat16Bits } from '../onnx/tensor-proto'

export type FloatType = 'float32' | 'float16'

/** Reads a session input's declared element type and rank (the exporter decides these). */
export function inputInfo(session: ort.InferenceSession, name: string): { type: ort.Tensor.Type; rank: number; shape: readonly (number | string)[] } {
  const meta = session.inputMetadata.find((m) => m.name === name)
  if (!meta) {
    const have = session.inputMetadata.map((m) => m.name).join(', ')
    throw new Error(`input "${name}" not found (inputs: ${have})`)
  }
  if (!meta.isTensor) throw new Error(`input "${name}" is not a tensor`)
  return { type: meta.type, rank: meta.shape.length, shape: meta.shape }
}

/** A float tensor in the precision the model expects (fp16 models take fp16 inputs). */
export function floatTensor(type: ort.Tensor.Type, data: Float32Array, dims: readonly number[]): ort.Tensor {
  if (type === 'float16') return new ort.Tensor('float16', float32ToFloat16Bits(data), dims)
  if (type === 'float32') return new ort.Tensor('float32', data, dims)
  throw new Error(`expected a float input, the model declares ${type}`)
}

/** A model output as float32, whatever precision the model computes in. */
export function toFloat32(t: ort.Tensor): Float32Array {
  if (t.type === 'float32') return t.data as Float32Array
  if (t.type === 'float16') return float16BitsToFloat32(t.data as Uint16Array)
  throw new Error(`expected a float output, got ${t.type}`)
}
