/**
 * The contract between the autodiff builder and its gradient rules (one file per op family in
 * rules/). A rule sees one forward node, the names of the gradients flowing into its outputs,
 * and a context that knows every forward value's static shape (fixed by a probe run) and lets
 * it emit backward nodes. It returns, per input, the name of that input's gradient, or null
 * when the input needs none (`ctx.needsGrad(i)` is false) or is not differentiable (shape
 * tensors, indices).
 *
 * Rules emit standard ONNX ops only (the default domain, at the forward model's opset), so the
 * gradient graph runs in an ordinary inference session of onnxruntime-node.
 */
import type { NodeProto } from 'onnx-buf'
import type { Attrs } from '../attributes'

export type ElemType = 'float32' | 'float64' | 'float16' | 'int64' | 'int32' | 'bool' | 'other'

export interface ValueInfo {
  readonly shape: readonly number[]
  readonly type: ElemType
}

export interface GradContext {
  /** The forward model's default-domain opset (rules pick op forms accordingly, e.g. ReduceSum axes as input from 13). */
  readonly opset: number
  /** Static shape and element type of any forward value (inputs, initializers, node outputs). */
  info(value: string): ValueInfo
  /** The value of a small integer forward tensor (shape sub-graphs, axes, indices), if known. */
  intValue(value: string): readonly number[] | undefined
  /** The value of a one-element constant (initializer or Constant node), if it is one. */
  scalarValue(value: string): number | undefined
  /** True when input `i` of the node being differentiated needs a gradient. */
  needsGrad(i: number): boolean
  /** Emits one node into the backward graph; returns its first output's name. */
  op(opType: string, inputs: readonly string[], attrs?: Attrs): string
  /** Emits one node with several outputs; returns their names. */
  ops(opType: string, inputs: readonly string[], outputs: number, attrs?: Attrs): string[]
  /**
   * A constant tensor (float in the given element type; used for scalars like 0.5 or -1).
   * Without `type`: the node's first float output's type (else its first float input's).
   */
  floatConst(values: readonly number[], dims: readonly number[], type?: ElemType): string
  /** An int64 constant (shapes, axes, starts/ends). */
  intConst(values: readonly number[], dims?: readonly number[]): string
  /**
   * Sums `grad` (shaped like `from`) down to `to` under numpy broadcasting: ReduceSum over the
   * broadcast axes with keepdims, then Reshape to `to`. Returns `grad` unchanged when equal.
   */
  reduceToShape(grad: string, from: readonly number[], to: readonly number[]): string
  /** Reshape to a static shape. */
  reshape(value: string, shape: readonly number[]): string
}

/** Gradients for the node's inputs, in input order (null: none). */
export type GradRule = (
  node: NodeProto,
  outputGrads: readonly (string | null)[],
  ctx: GradContext,
) => (string | null)[]

/** A family's rules by op type (default domain). */
export type RuleTable = Readonly<Record<string, GradRule>>

/** Raised when the path from the differentiated inputs to the loss has ops without a rule. */
export class MissingGradientRulesError extends Error {
  constructor(readonly missing: readonly { readonly opType: string; readonly node: string }[]) {
    const byOp = new Map<string, string[]>()
    for (const m of missing) byOp.set(m.opType, [...(byOp.get(m.opType) ?? []), m.node])
    const list = [...byOp].map(
      ([op, nodes]) =>
        `${op} (${nodes.length}: ${nodes.slice(0, 3).join(', ')}${nodes.length > 3 ? ', …' : ''})`,
    )
    super(
      `No gradient rule for ${byOp.size} op type(s) on the path to the loss: ${list.join('; ')}.`,
    )
    this.name = 'MissingGradientRulesError'
  }
}
