/**
 * Inputs for gradient checks: one-op test models and seeded random tensors. Re-exported by
 * grad-check.ts, which is what tests import.
 */
import * as ort from 'onnxruntime-node'
import type { ModelProto } from 'onnx-buf'
import { GraphBuilder } from '../../src/main/engine/onnx'
import type { DType } from '../../src/main/engine/onnx'
import { mulberry32 } from '../../src/main/engine/tiny'

export type FloatDType = 'float64' | 'float32'

/**
 * A one-output test model: `build` adds nodes to a GraphBuilder that already has the float
 * inputs (name → dims) and returns the output value. The output is declared without a shape
 * (the probe finds it), in `outputType` (default `dtype`).
 */
export function testModel(
  dtype: FloatDType,
  inputs: Readonly<Record<string, readonly number[]>>,
  build: (g: GraphBuilder, x: Readonly<Record<string, string>>) => string,
  options: { opset?: number; outputType?: DType } = {},
): ModelProto {
  const g = new GraphBuilder({ opset: options.opset ?? 14 })
  const names: Record<string, string> = {}
  for (const [name, dims] of Object.entries(inputs)) names[name] = g.input(name, dtype, dims)
  const out = build(g, names)
  g.output(out, options.outputType ?? dtype, [])
  const model = g.build()
  for (const o of model.graph?.output ?? []) {
    if (o.type?.value.case === 'tensorType') o.type.value.value.shape = undefined
  }
  return model
}

/** Random feeds for `testModel` inputs; `offsets` shifts chosen inputs away from 0. */
export function randomFeeds(
  dtype: FloatDType,
  inputs: Readonly<Record<string, readonly number[]>>,
  seed: number,
  offsets: Readonly<Record<string, number>> = {},
): Record<string, ort.Tensor> {
  const rng = mulberry32(seed)
  const feeds: Record<string, ort.Tensor> = {}
  for (const [name, dims] of Object.entries(inputs)) {
    feeds[name] = randomTensor(dtype, dims, rng, { offset: offsets[name] ?? 0 })
  }
  return feeds
}

/** A seeded source of uniforms in [0, 1). */
export function seededRng(seed: number): () => number {
  return mulberry32(seed)
}

/** `count` N(0, 1) samples (Box–Muller) as float64. */
export function normals(count: number, rng: () => number): Float64Array {
  const out = new Float64Array(count)
  for (let i = 0; i < count; i++) {
    const u = Math.max(rng(), 1e-12)
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
  }
  return out
}

/**
 * A tensor of N(offset, scale²) samples in `dtype`. Use an offset away from 0 for inputs of
 * ops that are singular there (Sqrt, Log, Div's denominator).
 */
export function randomTensor(
  dtype: FloatDType,
  dims: readonly number[],
  rng: () => number,
  options: { scale?: number; offset?: number } = {},
): ort.Tensor {
  const z = normals(
    dims.reduce((a, b) => a * b, 1),
    rng,
  )
  const values = z.map((v) => (options.offset ?? 0) + (options.scale ?? 1) * v)
  return dtype === 'float64'
    ? new ort.Tensor('float64', values, dims)
    : new ort.Tensor('float32', Float32Array.from(values), dims)
}
