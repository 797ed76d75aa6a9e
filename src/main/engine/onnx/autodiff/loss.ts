/**
 * The scalar losses a gradient graph can end in. Each appends its forward nodes (the `loss`
 * output) and hands the builder the gradient of the loss with respect to the differentiated
 * forward output, computed in closed form here, so the loss itself needs no rule:
 * - scalar:       loss = output (one element);              seed = 1
 * - mse:          loss = mean((output − target)²);          seed = 2 (output − target) / N
 * - weighted-mse: loss = mean(weight · (output − target)²); seed = 2 weight (output − target) / N
 * - weighted-sum: loss = Σ output · weight;                 seed = weight
 * The weighted sum is the vector-Jacobian product with `weight`: feeding a random weight is how
 * the gradient checks test arbitrary output gradients instead of all ones, and feeding an
 * upstream gradient is how a caller chains this graph after another.
 */
import type { ValueInfoProto } from 'onnx-buf'
import { elementCount } from '../tensor-proto'
import type { Emitter } from './emitter'
import { isFloat } from './grad-context'
import { staticValueInfo } from './value-types'
import type { ValueInfo } from './types'

export type LossSpec =
  | { readonly kind: 'scalar'; readonly output: string }
  | { readonly kind: 'mse'; readonly output: string; readonly targetInput: string }
  | {
      readonly kind: 'weighted-mse'
      readonly output: string
      readonly targetInput: string
      readonly weightInput: string
    }
  | { readonly kind: 'weighted-sum'; readonly output: string; readonly weightInput: string }

export interface EmittedLoss {
  /** dLoss/dOutput, shaped like the output. */
  readonly seed: string
  /** Inputs the loss adds to the graph (target or weight). */
  readonly inputs: readonly ValueInfoProto[]
}

const SCOPE = 'loss'

/** Emits the loss into `lossName` (a reserved name); `out` describes the forward output. */
export function emitLoss(
  spec: LossSpec,
  out: ValueInfo,
  lossName: string,
  emitter: Emitter,
): EmittedLoss {
  if (!isFloat(out.type)) {
    throw new Error(`the loss output ${spec.output} is ${out.type}; it must be a float tensor`)
  }
  const count = elementCount(out.shape)
  switch (spec.kind) {
    case 'scalar': {
      if (count !== 1) {
        throw new Error(
          `the scalar loss ${spec.output} has shape [${out.shape.join(', ')}]; it must have one element`,
        )
      }
      const scalar =
        out.shape.length === 0
          ? spec.output
          : emitter.op(SCOPE, 'Reshape', [spec.output, emitter.intConst([], [0])])
      emitter.emitTo(SCOPE, 'Identity', [scalar], [lossName])
      return { seed: emitter.floatConst([1], out.shape, out.type), inputs: [] }
    }
    case 'mse': {
      const target = reserveInput(emitter, spec.targetInput)
      const diff = emitter.op(SCOPE, 'Sub', [spec.output, target])
      const squared = emitter.op(SCOPE, 'Mul', [diff, diff])
      emitter.emitTo(SCOPE, 'ReduceMean', [squared], [lossName], {
        keepdims: { kind: 'int', value: 0 },
      })
      const seed = emitter.op(SCOPE, 'Mul', [diff, emitter.floatConst([2 / count], [], out.type)])
      return { seed, inputs: [staticValueInfo(target, out)] }
    }
    case 'weighted-mse': {
      // The weight has the output's shape: per-element importance (ShapeWorld weights each
      // latent channel by its share of the pixels, shapeworld/train-loss-weight.ts).
      const target = reserveInput(emitter, spec.targetInput)
      const weight = reserveInput(emitter, spec.weightInput)
      const diff = emitter.op(SCOPE, 'Sub', [spec.output, target])
      const weighted = emitter.op(SCOPE, 'Mul', [diff, weight])
      const squared = emitter.op(SCOPE, 'Mul', [weighted, diff])
      emitter.emitTo(SCOPE, 'ReduceMean', [squared], [lossName], {
        keepdims: { kind: 'int', value: 0 },
      })
      const seed = emitter.op(SCOPE, 'Mul', [
        weighted,
        emitter.floatConst([2 / count], [], out.type),
      ])
      return { seed, inputs: [staticValueInfo(target, out), staticValueInfo(weight, out)] }
    }
    case 'weighted-sum': {
      const weight = reserveInput(emitter, spec.weightInput)
      const product = emitter.op(SCOPE, 'Mul', [spec.output, weight])
      emitter.emitTo(SCOPE, 'ReduceSum', [product], [lossName], {
        keepdims: { kind: 'int', value: 0 },
      })
      return { seed: weight, inputs: [staticValueInfo(weight, out)] }
    }
  }
}

function reserveInput(emitter: Emitter, name: string): string {
  const got = emitter.fresh(name)
  if (got !== name) throw new Error(`the loss input name ${name} is already used in the model`)
  return got
}
