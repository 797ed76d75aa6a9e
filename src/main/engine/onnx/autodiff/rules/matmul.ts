/**
 * Gradients of MatMul and Gemm.
 *
 * MatMul is numpy's matmul: batch dimensions broadcast, a 1-D first input is a row vector
 * ([k] → [1, k]) and a 1-D second input a column vector ([k] → [k, 1]), the added axis removed
 * from the result. The rule promotes 1-D inputs the same way, works on the promoted shapes
 * (dA = dY·Bᵀ, dB = Aᵀ·dY, summed over broadcast batch axes) and reshapes back. A 2-D weight
 * under a batched input, the Linear/K/V-projection case, folds the batch into the rows instead
 * (dB = A[N,k]ᵀ·dY[N,m]), so no [batch, k, m] temporary is made. Where an operand is larger
 * than dY and the result together (attention probabilities), the product is formed transposed
 * ((dYᵀ·A)ᵀ) so the large operand is never transposed.
 *
 * Gemm is Y = α·op(A)·op(B) + β·C with op = transpose when transA/transB is set; its gradients
 * are Gemms again with the transposes rearranged, and C's is β·dY summed to C's broadcast shape.
 */
import type { NodeProto } from 'onnx-buf'
import { attr, intAttribute } from '../../attributes'
import type { Attrs } from '../../attributes'
import type { GradContext, GradRule, RuleTable } from '../types'

const input = (node: NodeProto, i: number): string => node.input[i] ?? ''

function transposeLast2(ctx: GradContext, value: string, rank: number): string {
  const perm = Array.from({ length: rank }, (_, i) => i)
  perm[rank - 2] = rank - 1
  perm[rank - 1] = rank - 2
  return ctx.op('Transpose', [value], { perm: attr.ints(perm) })
}

/** numpy broadcast of two shapes (right-aligned). */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length)
  return Array.from({ length: rank }, (_, i) => {
    const x = a[i - (rank - a.length)] ?? 1
    const y = b[i - (rank - b.length)] ?? 1
    if (x !== y && x !== 1 && y !== 1) {
      throw new Error(`shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`)
    }
    return x === 1 ? y : x
  })
}

const product = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1)

const matmul: GradRule = (node, [dy], ctx) => {
  const grads: (string | null)[] = node.input.map(() => null)
  if (dy === null || dy === undefined) return grads
  const [a, b] = [input(node, 0), input(node, 1)]
  const aShape = ctx.info(a).shape
  const bShape = ctx.info(b).shape
  const k = aShape[aShape.length - 1] ?? 1
  const a2 = aShape.length === 1 ? [1, k] : [...aShape]
  const b2 = bShape.length === 1 ? [k, 1] : [...bShape]
  const aVal = aShape.length === 1 ? ctx.reshape(a, a2) : a
  const bVal = bShape.length === 1 ? ctx.reshape(b, b2) : b
  const n = a2[a2.length - 2] ?? 1
  const m = b2[b2.length - 1] ?? 1
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2))
  const y2 = [...batch, n, m]
  const yShape = ctx.info(node.output[0] ?? '').shape
  const g = sameDims(y2, yShape) ? dy : ctx.reshape(dy, y2)

  if (ctx.needsGrad(0) && bShape.length === 2) {
    // A 2-D weight (Linear): dA = Gemm(dY, B, transB) on the rows. A Transpose(B) here would
    // be constant-folded by ORT into a transposed copy of every weight of the model.
    const rows = product(a2.slice(0, -1))
    const flat = ctx.op('Gemm', [ctx.reshape(g, [rows, m]), bVal], { transB: attr.int(1) })
    grads[0] = a2.length === 2 && aShape.length === 2 ? flat : ctx.reshape(flat, aShape)
  } else if (ctx.needsGrad(0)) {
    // dA = dY·Bᵀ, or (B·dYᵀ)ᵀ when B is the larger tensor (attention probabilities).
    const full =
      product(b2) <= product(y2) + product([...batch, n, k])
        ? ctx.op('MatMul', [g, transposeLast2(ctx, bVal, b2.length)])
        : transposeLast2(ctx, ctx.op('MatMul', [bVal, transposeLast2(ctx, g, y2.length)]), y2.length)
    const reduced = ctx.reduceToShape(full, [...batch, n, k], a2)
    grads[0] = aShape.length === 1 ? ctx.reshape(reduced, aShape) : reduced
  }
  if (ctx.needsGrad(1)) {
    let gb: string
    if (b2.length === 2 && a2.length > 2) {
      const rows = product(a2.slice(0, -1))
      const aFlat = ctx.op('Transpose', [ctx.reshape(aVal, [rows, k])], { perm: attr.ints([1, 0]) })
      gb = ctx.op('MatMul', [aFlat, ctx.reshape(g, [rows, m])])
    } else {
      // dB = Aᵀ·dY, or (dYᵀ·A)ᵀ when A is the larger tensor: P in P·V is [heads, n, n] while
      // dY is [heads, n, d], so transposing dY and the result moves far less memory, and
      // no transposed copy of P exists for the scheduler to compute early and hold.
      const full =
        product(a2) <= product(y2) + product([...batch, k, m])
          ? ctx.op('MatMul', [transposeLast2(ctx, aVal, a2.length), g])
          : transposeLast2(ctx, ctx.op('MatMul', [transposeLast2(ctx, g, y2.length), aVal]), y2.length)
      gb = ctx.reduceToShape(full, [...batch, k, m], b2)
    }
    grads[1] = bShape.length === 1 ? ctx.reshape(gb, bShape) : gb
  }
  return grads
}

function floatAttribute(node: NodeProto, name: string, fallback: number): number {
  return node.attribute.find((a) => a.name === name)?.f ?? fallback
}

/** Gemm attributes for a backward product: alpha only when it is not 1. */
function gemmAttrs(alpha: number, transA: boolean, transB: boolean): Attrs {
  return {
    ...(alpha === 1 ? {} : { alpha: attr.float(alpha) }),
    transA: attr.int(transA ? 1 : 0),
    transB: attr.int(transB ? 1 : 0),
  }
}

/**
 * With op(A) = A or Aᵀ:  d op(A) = α·dY·op(B)ᵀ and d op(B) = α·op(A)ᵀ·dY, each transposed back
 * when its op transposed.
 */
const gemm: GradRule = (node, [dy], ctx) => {
  const grads: (string | null)[] = node.input.map(() => null)
  if (dy === null || dy === undefined) return grads
  const [a, b, c] = [input(node, 0), input(node, 1), input(node, 2)]
  const alpha = floatAttribute(node, 'alpha', 1)
  const beta = floatAttribute(node, 'beta', 1)
  const transA = intAttribute(node, 'transA', 0) === 1
  const transB = intAttribute(node, 'transB', 0) === 1
  if (ctx.needsGrad(0)) {
    grads[0] = transA
      ? ctx.op('Gemm', [b, dy], gemmAttrs(alpha, transB, true))
      : ctx.op('Gemm', [dy, b], gemmAttrs(alpha, false, !transB))
  }
  if (ctx.needsGrad(1)) {
    grads[1] = transB
      ? ctx.op('Gemm', [dy, a], gemmAttrs(alpha, true, transA))
      : ctx.op('Gemm', [a, dy], gemmAttrs(alpha, !transA, false))
  }
  if (c !== '' && ctx.needsGrad(2)) {
    const yShape = ctx.info(node.output[0] ?? '').shape
    const type = ctx.info(c).type
    const scaled = beta === 1 ? dy : ctx.op('Mul', [dy, ctx.floatConst([beta], [], type)])
    grads[2] = ctx.reduceToShape(scaled, yShape, ctx.info(c).shape)
  }
  return grads
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i])
}

export const matmulRules: RuleTable = { MatMul: matmul, Gemm: gemm }
