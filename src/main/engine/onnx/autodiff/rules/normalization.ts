/**
 * Gradients of InstanceNormalization (how exporters write GroupNorm: Reshape → Instance-
 * Normalization → Reshape → Mul → Add) and LayerNormalization (opset 17).
 *
 * Both compute y = x̂·γ + β with x̂ = (x − μ)·r, r = 1/√(σ² + ε), μ and σ² the biased mean and
 * variance over a set of axes (the spatial axes per (n, c) for InstanceNormalization, the axes from
 * `axis` on for LayerNormalization). With g = dy·γ and means ⟨·⟩ over the same axes,
 *   dx = r · (g − ⟨g⟩ − x̂·⟨g·x̂⟩),   dγ = Σ dy·x̂,   dβ = Σ dy,
 * the sums running over every axis γ and β are broadcast along. μ, σ² and x̂ are recomputed in the
 * backward graph from x (cheaper than asking the forward for extra outputs, and it works for
 * InstanceNormalization, which has none).
 */
import type { NodeProto } from 'onnx-buf'
import { intAttribute } from '../../attributes'
import type { ElemType, GradContext, GradRule, RuleTable } from '../types'

/** Recomputed forward statistics: x̂ and r = 1/√(σ² + ε), r shaped like `kept`. */
interface Normalized {
  readonly xhat: string
  readonly rstd: string
}

const instanceNormalization: GradRule = (node, [dy], ctx) => {
  if (dy === null || dy === undefined) return node.input.map(() => null)
  const [x = '', scale = ''] = node.input
  const { shape, type } = ctx.info(x)
  const channels = shape.map((d, i) => (i === 1 ? d : 1))
  const kept = shape.map((d, i) => (i < 2 ? d : 1))
  const eps = floatAttribute(node, 'epsilon', 1e-5)
  const stats = normalize(ctx, x, shape, kept, eps)
  const dX = ctx.needsGrad(0)
    ? inputGrad(
        ctx,
        ctx.op('Mul', [dy, ctx.reshape(scale, channels.slice(1))]),
        stats,
        shape,
        kept,
        type,
      )
    : null
  const c = shape[1] ?? 0
  const dScale = ctx.needsGrad(1)
    ? ctx.reshape(ctx.reduceToShape(ctx.op('Mul', [dy, stats.xhat]), shape, channels), [c])
    : null
  const dB = ctx.needsGrad(2) ? ctx.reshape(ctx.reduceToShape(dy, shape, channels), [c]) : null
  return [dX, dScale, dB]
}

const layerNormalization: GradRule = (node, outputGrads, ctx) => {
  const label = `LayerNormalization node ${node.name || '(unnamed)'}`
  if (outputGrads.slice(1).some((g) => g !== null && g !== undefined)) {
    throw new Error(`${label}: gradients through the Mean/InvStdDev outputs are not supported`)
  }
  const dy = outputGrads[0]
  if (dy === null || dy === undefined) return node.input.map(() => null)
  const [x = '', scale = '', bias] = node.input
  const { shape, type } = ctx.info(x)
  const rank = shape.length
  const rawAxis = intAttribute(node, 'axis', -1) ?? -1
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis
  if (axis < 0 || axis >= rank) throw new Error(`${label}: axis ${rawAxis} for rank ${rank}`)
  const kept = shape.map((d, i) => (i < axis ? d : 1))
  const eps = floatAttribute(node, 'epsilon', 1e-5)
  const stats = normalize(ctx, x, shape, kept, eps)
  const dX = ctx.needsGrad(0)
    ? inputGrad(ctx, ctx.op('Mul', [dy, scale]), stats, shape, kept, type)
    : null
  const dScale = ctx.needsGrad(1)
    ? ctx.reduceToShape(ctx.op('Mul', [dy, stats.xhat]), shape, ctx.info(scale).shape)
    : null
  const grads = [dX, dScale]
  if (bias !== undefined && bias !== '') {
    grads.push(ctx.needsGrad(2) ? ctx.reduceToShape(dy, shape, ctx.info(bias).shape) : null)
  }
  return grads
}

/** x̂ and r over the axes where `kept` is 1 (`kept` is `shape` with those axes set to 1). */
function normalize(
  ctx: GradContext,
  x: string,
  shape: readonly number[],
  kept: readonly number[],
  eps: number,
): Normalized {
  const type = ctx.info(x).type
  const centered = ctx.op('Sub', [x, mean(ctx, x, shape, kept, type)])
  const variance = mean(ctx, ctx.op('Mul', [centered, centered]), shape, kept, type)
  const std = ctx.op('Sqrt', [ctx.op('Add', [variance, ctx.floatConst([eps], [], type)])])
  const rstd = ctx.op('Reciprocal', [std])
  return { xhat: ctx.op('Mul', [centered, rstd]), rstd }
}

/** dx = r · (g − ⟨g⟩ − x̂·⟨g·x̂⟩) for g = dy·γ. */
function inputGrad(
  ctx: GradContext,
  g: string,
  { xhat, rstd }: Normalized,
  shape: readonly number[],
  kept: readonly number[],
  type: ElemType,
): string {
  const gMean = mean(ctx, g, shape, kept, type)
  const projection = mean(ctx, ctx.op('Mul', [g, xhat]), shape, kept, type)
  const centered = ctx.op('Sub', [g, gMean])
  const residual = ctx.op('Sub', [centered, ctx.op('Mul', [xhat, projection])])
  return ctx.op('Mul', [residual, rstd])
}

/** Mean over the axes where `kept` is 1, keeping them (a sum by reduceToShape, then a scale). */
function mean(
  ctx: GradContext,
  value: string,
  shape: readonly number[],
  kept: readonly number[],
  type: ElemType,
): string {
  const count = shape.reduce((a, b) => a * b, 1) / kept.reduce((a, b) => a * b, 1)
  const sum = ctx.reduceToShape(value, shape, kept)
  return ctx.op('Mul', [sum, ctx.floatConst([1 / count], [], type)])
}

function floatAttribute(node: NodeProto, name: string, fallback: number): number {
  return node.attribute.find((a) => a.name === name)?.f ?? fallback
}

export const normalizationRules: RuleTable = {
  InstanceNormalization: instanceNormalization,
  LayerNormalization: layerNormalization,
}
