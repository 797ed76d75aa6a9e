/**
 * diffusers ≤ 0.21's AttnProcessor as torch.onnx exported it: heads folded into the batch
 * (`head_to_batch_dim`), scores from `torch.baddbmm(torch.empty(b, q_len, k_len), q, kᵀ,
 * beta=0, alpha=scale)`, `bmm` with V, heads unfolded (`batch_to_head_dim`). torch.onnx emits
 * baddbmm as `Add(Mul(MatMul(q, kᵀ), alpha), Mul(self, beta))` and `torch.empty` as a
 * ConstantOfShape(0) of the runtime sizes, so every attention materializes a zero tensor the
 * size of its scores. The load-time cleanup (onnx/surgery/cleanup.ts) exists to remove it.
 */
import { TensorProto_DataType } from 'onnx-buf'
import { attr, makeTensorProto } from '../onnx'
import type { NetContext, Scope } from './net-context'

/** q, k, v: projections [B, N, dim] / [B, M, dim]; returns the merged heads [B, N, dim]. */
export function baddbmmAttention(
  ctx: NetContext,
  scope: Scope,
  qkv: { q: string; k: string; v: string },
  dim: number,
  heads: number,
): string {
  const headDim = dim / heads
  const axis0 = { axis: attr.int(0) }
  const dimOf = (t: string, i: number): string =>
    ctx.op(scope, 'Gather', [ctx.op(scope, 'Shape', [t]), ctx.i64([i], [])], axis0)
  const unsqueeze = (scalar: string): string => ctx.op(scope, 'Unsqueeze', [scalar, ctx.i64([0])])
  const sizes = (parts: readonly string[]): string => ctx.op(scope, 'Concat', parts, axis0)
  const constant = (value: number): string =>
    ctx.op(scope, 'Constant', [], {
      value: attr.tensor(makeTensorProto('value', [], Float32Array.of(value))),
    })

  // head_to_batch_dim: [B, N, dim] → [B, N, heads, d] → [B, heads, N, d] → [B·heads, N, d]
  const toBatch = (t: string): string => {
    const b = dimOf(t, 0)
    const n = dimOf(t, 1)
    const split = ctx.op(scope, 'Reshape', [
      t,
      sizes([unsqueeze(b), unsqueeze(n), ctx.i64([heads]), ctx.i64([headDim])]),
    ])
    const perm = ctx.op(scope, 'Transpose', [split], { perm: attr.ints([0, 2, 1, 3]) })
    const bh = ctx.op(scope, 'Mul', [b, ctx.i64([heads], [])])
    return ctx.op(scope, 'Reshape', [
      perm,
      sizes([unsqueeze(bh), unsqueeze(n), ctx.i64([headDim])]),
    ])
  }
  const q = toBatch(qkv.q)
  const k = toBatch(qkv.k)
  const v = toBatch(qkv.v)

  // torch.empty(q.shape[0], q.shape[1], k.shape[1]) → ConstantOfShape(value=[0.0])
  const empty = ctx.op(
    scope,
    'ConstantOfShape',
    [sizes([unsqueeze(dimOf(q, 0)), unsqueeze(dimOf(q, 1)), unsqueeze(dimOf(k, 1))])],
    {
      value: attr.tensor(
        makeTensorProto('value', [1], Float32Array.of(0), TensorProto_DataType.FLOAT),
      ),
    },
  )
  const kT = ctx.op(scope, 'Transpose', [k], { perm: attr.ints([0, 2, 1]) })
  const product = ctx.op(scope, 'MatMul', [q, kT])
  const scaled = ctx.op(scope, 'Mul', [product, constant(1 / Math.sqrt(headDim))])
  const scores = ctx.op(scope, 'Add', [scaled, ctx.op(scope, 'Mul', [empty, constant(0)])])
  const probs = ctx.op(scope, 'Softmax', [scores], { axis: attr.int(-1) })
  const out = ctx.op(scope, 'MatMul', [probs, v])

  // batch_to_head_dim: [B·heads, N, d] → [B, heads, N, d] → [B, N, heads, d] → [B, N, dim]
  const b = ctx.op(scope, 'Div', [dimOf(out, 0), ctx.i64([heads], [])])
  const n = dimOf(out, 1)
  const unfolded = ctx.op(scope, 'Reshape', [
    out,
    sizes([unsqueeze(b), ctx.i64([heads]), unsqueeze(n), ctx.i64([headDim])]),
  ])
  const perm = ctx.op(scope, 'Transpose', [unfolded], { perm: attr.ints([0, 2, 1, 3]) })
  return ctx.op(scope, 'Reshape', [perm, sizes([unsqueeze(b), unsqueeze(n), ctx.i64([dim])])])
}
