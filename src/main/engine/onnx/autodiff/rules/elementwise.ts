/**
 * Gradients of elementwise ops. Binary ops follow numpy broadcasting: each input's gradient is
 * computed at the output's shape and then summed down to the input's own shape
 * (`ctx.reduceToShape`). Where the forward output already holds a needed factor (Exp, Sqrt,
 * Sigmoid, Tanh, Div) the rule reads it instead of recomputing it.
 */
import type { NodeProto } from 'onnx-buf'
import { attr } from '../../attributes'
import { onnxTypeOf } from '../value-types'
import type { GradContext, GradRule, RuleTable } from '../types'

const input = (node: NodeProto, i: number): string => node.input[i] ?? ''
const output = (node: NodeProto): string => node.output[0] ?? ''
const noGrads = (node: NodeProto): (string | null)[] => node.input.map(() => null)

/** `g` (at the output's shape) summed down to input `i`'s shape. */
function toInput(ctx: GradContext, node: NodeProto, i: number, g: string): string {
  return ctx.reduceToShape(g, ctx.info(output(node)).shape, ctx.info(input(node, i)).shape)
}

/**
 * A binary rule from per-input gradient formulas at the output's shape; each formula runs only
 * when its input needs a gradient.
 */
function binary(
  grad0: ((dy: string, node: NodeProto, ctx: GradContext) => string) | null,
  grad1: ((dy: string, node: NodeProto, ctx: GradContext) => string) | null,
): GradRule {
  return (node, [dy], ctx) => {
    const grads = noGrads(node)
    if (dy === null || dy === undefined) return grads
    const formulas = [grad0, grad1]
    formulas.forEach((f, i) => {
      if (f !== null && ctx.needsGrad(i)) grads[i] = toInput(ctx, node, i, f(dy, node, ctx))
    })
    return grads
  }
}

/** A unary rule: dx = f(dy) at the same shape. */
function unary(f: (dy: string, node: NodeProto, ctx: GradContext) => string): GradRule {
  return (node, [dy], ctx) => {
    const grads = noGrads(node)
    if (dy === null || dy === undefined || !ctx.needsGrad(0)) return grads
    grads[0] = f(dy, node, ctx)
    return grads
  }
}

/** A scalar constant in the output's float type. */
const scalar = (ctx: GradContext, node: NodeProto, value: number): string =>
  ctx.floatConst([value], [], ctx.info(output(node)).type)

const add = binary(
  (dy) => dy,
  (dy) => dy,
)
const sub = binary(
  (dy) => dy,
  (dy, _n, ctx) => ctx.op('Neg', [dy]),
)
const mul = binary(
  (dy, n, ctx) => ctx.op('Mul', [dy, input(n, 1)]),
  (dy, n, ctx) => ctx.op('Mul', [dy, input(n, 0)]),
)
/** y = a / b: da = dy / b, db = −dy · a / b² = −dy · y / b. */
const div = binary(
  (dy, n, ctx) => ctx.op('Div', [dy, input(n, 1)]),
  (dy, n, ctx) => ctx.op('Neg', [ctx.op('Div', [ctx.op('Mul', [dy, output(n)]), input(n, 1)])]),
)

/**
 * y = a^b: da = dy · b · a^(b−1), db = dy · y · ln a. The exponent may be a constant or a
 * computed value, and may have another type than the base (ONNX allows int or double
 * exponents): it is cast to the base's type first. A constant exponent 2 (the variance of a
 * decomposed LayerNorm) takes da = dy · 2a: ONNX Runtime's Pow has fast paths for the exponents
 * 2 and 3 only, so the general a^(b−1) = a^1 ran per element through pow().
 */
const pow = binary(
  (dy, n, ctx) => {
    if (ctx.scalarValue(input(n, 1)) === 2)
      return ctx.op('Mul', [dy, ctx.op('Add', [input(n, 0), input(n, 0)])])
    const b = exponentAsBase(n, ctx)
    const bMinus1 = ctx.op('Sub', [b, scalar(ctx, n, 1)])
    const slope = ctx.op('Mul', [b, ctx.op('Pow', [input(n, 0), bMinus1])])
    return ctx.op('Mul', [dy, slope])
  },
  (dy, n, ctx) => {
    const g = ctx.op('Mul', [ctx.op('Mul', [dy, output(n)]), ctx.op('Log', [input(n, 0)])])
    const bType = ctx.info(input(n, 1)).type
    const baseType = ctx.info(input(n, 0)).type
    return bType === baseType ? g : ctx.op('Cast', [g], { to: attr.int(onnxTypeOf(bType)) })
  },
)

function exponentAsBase(node: NodeProto, ctx: GradContext): string {
  const b = input(node, 1)
  const baseType = ctx.info(input(node, 0)).type
  if (ctx.info(b).type === baseType) return b
  return ctx.op('Cast', [b], { to: attr.int(onnxTypeOf(baseType)) })
}

/** Sum of n inputs, each broadcast to the output. */
const sum: GradRule = (node, [dy], ctx) => {
  const grads = noGrads(node)
  if (dy === null || dy === undefined) return grads
  node.input.forEach((_, i) => {
    if (ctx.needsGrad(i)) grads[i] = toInput(ctx, node, i, dy)
  })
  return grads
}

const identity = unary((dy) => dy)
const neg = unary((dy, _n, ctx) => ctx.op('Neg', [dy]))
const exp = unary((dy, n, ctx) => ctx.op('Mul', [dy, output(n)]))
/** y = √x: dx = dy / (2y). */
const sqrt = unary((dy, n, ctx) =>
  ctx.op('Div', [ctx.op('Mul', [dy, scalar(ctx, n, 0.5)]), output(n)]),
)
/** d erf(x)/dx = 2/√π · exp(−x²). */
const erf = unary((dy, n, ctx) => {
  const x = input(n, 0)
  const bell = ctx.op('Exp', [ctx.op('Neg', [ctx.op('Mul', [x, x])])])
  return ctx.op('Mul', [dy, ctx.op('Mul', [bell, scalar(ctx, n, 2 / Math.sqrt(Math.PI))])])
})
/** σ' = σ (1 − σ). */
const sigmoid = unary((dy, n, ctx) => {
  const y = output(n)
  return ctx.op('Mul', [dy, ctx.op('Mul', [y, ctx.op('Sub', [scalar(ctx, n, 1), y])])])
})
/** tanh' = 1 − tanh². */
const tanh = unary((dy, n, ctx) => {
  const y = output(n)
  return ctx.op('Mul', [dy, ctx.op('Sub', [scalar(ctx, n, 1), ctx.op('Mul', [y, y])])])
})
const log = unary((dy, n, ctx) => ctx.op('Div', [dy, input(n, 0)]))
/** y = 1/x: dx = −dy · y². */
const reciprocal = unary((dy, n, ctx) => {
  const y = output(n)
  return ctx.op('Neg', [ctx.op('Mul', [dy, ctx.op('Mul', [y, y])])])
})
const sin = unary((dy, n, ctx) => ctx.op('Mul', [dy, ctx.op('Cos', [input(n, 0)])]))
const cos = unary((dy, n, ctx) =>
  ctx.op('Neg', [ctx.op('Mul', [dy, ctx.op('Sin', [input(n, 0)])])]),
)
/** Subgradient 0 at x = 0, as frameworks use. */
const relu = unary((dy, n, ctx) => {
  const positive = ctx.op('Greater', [input(n, 0), scalar(ctx, n, 0)])
  return ctx.op('Where', [positive, dy, scalar(ctx, n, 0)])
})
const abs = unary((dy, n, ctx) => ctx.op('Mul', [dy, ctx.op('Sign', [input(n, 0)])]))

/** A Cast back to the input's float type; casts from integers carry no gradient. */
const cast: GradRule = (node, [dy], ctx) => {
  const grads = noGrads(node)
  if (dy === null || dy === undefined || !ctx.needsGrad(0)) return grads
  const from = ctx.info(input(node, 0)).type
  grads[0] =
    from === ctx.info(output(node)).type
      ? dy
      : ctx.op('Cast', [dy], { to: attr.int(onnxTypeOf(from)) })
  return grads
}

/** Where(c, x, y): the gradient goes to x where c holds and to y elsewhere; c has none. */
const where: GradRule = (node, [dy], ctx) => {
  const grads = noGrads(node)
  if (dy === null || dy === undefined) return grads
  const c = input(node, 0)
  const zero = scalar(ctx, node, 0)
  if (ctx.needsGrad(1)) grads[1] = toInput(ctx, node, 1, ctx.op('Where', [c, dy, zero]))
  if (ctx.needsGrad(2)) grads[2] = toInput(ctx, node, 2, ctx.op('Where', [c, zero, dy]))
  return grads
}

/** Expand broadcasts x to the output: sum back over the broadcast axes; the shape gets none. */
const expand: GradRule = (node, [dy], ctx) => {
  const grads = noGrads(node)
  if (dy !== null && dy !== undefined && ctx.needsGrad(0)) grads[0] = toInput(ctx, node, 0, dy)
  return grads
}

export const elementwiseRules: RuleTable = {
  Add: add,
  Sub: sub,
  Mul: mul,
  Div: div,
  Pow: pow,
  Sum: sum,
  Sqrt: sqrt,
  Neg: neg,
  Exp: exp,
  Log: log,
  Reciprocal: reciprocal,
  Erf: erf,
  Sigmoid: sigmoid,
  Tanh: tanh,
  Sin: sin,
  Cos: cos,
  Relu: relu,
  Abs: abs,
  Identity: identity,
  Cast: cast,
  Where: where,
  Expand: expand,
}
