/**
 * Rematerialization of large attention probabilities. A Softmax over self-attention scores is
 * the largest value the backward pass reads: [heads, n, n] with n = 4096 at 64×64 latents is
 * 0.5 GiB per layer, held from the forward pass until that layer's backward runs. Q and K are
 * 160× smaller. So for each such Softmax the probabilities are recomputed from the product's
 * operands where the backward pass needs them, and the forward copy is freed as soon as the
 * forward pass is done with it: on the SD1.5-width U-Net at 64×64 that drops four 0.5 GiB
 * tensors from the peak for one extra Q·Kᵀ and Softmax per layer.
 *
 * The pattern is Softmax(MatMul(a, b)) or Softmax(Mul|Div(MatMul(a, b), s)) with s a scalar-sized
 * value (torch-1 attention; SDPA-style exports scale Q and K before the product, which is the
 * same pattern).
 *
 * The last `keepLast` qualifying Softmax outputs in forward order (default 1) keep their forward
 * copy. The last one's backward runs first, right after the forward pass, so its copy is held
 * only while the layers after it finish, and its backward needs P, dP and dS (0.5 GiB each on
 * SD1.5 at 64×64) at once whether P was held or recomputed: recomputing it lowers no peak and
 * costs a product and a Softmax (about 0.1 s per layer on SD1.5 at 64×64). Holding a second
 * layer's copy adds its 0.5 GiB to that peak.
 *
 * The product is recomputed as MatMul(−a, −b): ONNX Runtime's common
 * subexpression pass would merge a plain MatMul(a, b) back into the forward one and undo the
 * saving, while negation is exact, so the recomputed probabilities equal the forward ones bit
 * for bit. (An Einsum also escapes the merge but ran 0.9 s per layer against MatMul's 0.2 s.)
 */
import type { NodeProto } from 'onnx-buf'
import type { Emitter } from './emitter'
import type { ValueInfo } from './types'

/** Softmax outputs smaller than this stay as they are (default 64 MiB). */
export const DEFAULT_REMAT_MIN_BYTES = 64 * 2 ** 20

/** Qualifying Softmax outputs at the end of the forward pass that keep their forward copy. */
export const DEFAULT_REMAT_KEEP_LAST = 1

const SCALE_MAX_ELEMENTS = 16

const elements = (info: ValueInfo): number => info.shape.reduce((p, d) => p * d, 1)
const bytesOf = (info: ValueInfo): number => elements(info) * (info.type === 'float64' ? 8 : 4)

/**
 * Rewrites the backward nodes in `emitter.nodes` to read recomputed probabilities instead of
 * the forward Softmax outputs that qualify; returns the forward values replaced.
 */
export function rematerializeSoftmax(
  forward: readonly NodeProto[],
  emitter: Emitter,
  info: (value: string) => ValueInfo,
  minBytes: number = DEFAULT_REMAT_MIN_BYTES,
  keepLast: number = DEFAULT_REMAT_KEEP_LAST,
): string[] {
  const producer = new Map<string, NodeProto>()
  for (const n of forward) for (const o of n.output) if (o !== '') producer.set(o, n)
  const backward = [...emitter.nodes]
  const read = new Set(backward.flatMap((n) => n.input))
  const candidates: { softmax: NodeProto; y: string; chain: ProductChain }[] = []
  for (const softmax of forward) {
    if (softmax.opType !== 'Softmax') continue
    const y = softmax.output[0] ?? ''
    const yInfo = info(y)
    if (!read.has(y) || bytesOf(yInfo) < minBytes) continue
    if (yInfo.type !== 'float32' && yInfo.type !== 'float64') continue
    const chain = productChain(softmax.input[0] ?? '', producer, info)
    if (chain === null) continue
    const [a = '', b = ''] = chain.matmul.input
    if ((elements(info(a)) + elements(info(b))) * 4 > elements(yInfo)) continue
    candidates.push({ softmax, y, chain })
  }
  const replaced: string[] = []
  for (const { softmax, y, chain } of candidates.slice(0, Math.max(0, candidates.length - keepLast))) {
    const [a = '', b = ''] = chain.matmul.input
    const scope = `grad/remat/${softmax.name !== '' ? softmax.name : y}`
    const negA = emitter.op(scope, 'Neg', [a])
    const negB = emitter.op(scope, 'Neg', [b])
    let x = emitter.op(scope, 'MatMul', [negA, negB])
    if (chain.scale !== null) {
      const inputs = chain.scale.input.map((v) => (v === chain.matmul.output[0] ? x : v))
      x = emitter.like(scope, chain.scale, inputs)
    }
    const recomputed = emitter.like(scope, softmax, [x])
    for (const n of backward) {
      n.input = n.input.map((v) => (v === y ? recomputed : v))
    }
    replaced.push(y)
  }
  return replaced
}

interface ProductChain {
  readonly matmul: NodeProto
  readonly scale: NodeProto | null
}

/** MatMul(a, b), or Mul|Div(MatMul(a, b), s) with s scalar-sized, producing `value`. */
function productChain(
  value: string,
  producer: ReadonlyMap<string, NodeProto>,
  info: (value: string) => ValueInfo,
): ProductChain | null {
  const node = producer.get(value)
  if (node === undefined) return null
  const isProduct = (n: NodeProto | undefined): boolean =>
    n !== undefined && n.opType === 'MatMul' && n.input.every((v) => info(v).shape.length >= 2)
  if (isProduct(node)) return { matmul: node, scale: null }
  if (node.opType !== 'Mul' && node.opType !== 'Div') return null
  const [left = '', right = ''] = node.input
  const leftNode = producer.get(left)
  if (
    leftNode !== undefined &&
    isProduct(leftNode) &&
    elements(info(right)) <= SCALE_MAX_ELEMENTS
  ) {
    return { matmul: leftNode, scale: node }
  }
  const rightNode = producer.get(right)
  if (
    rightNode !== undefined &&
    node.opType === 'Mul' &&
    isProduct(rightNode) &&
    elements(info(left)) <= SCALE_MAX_ELEMENTS
  ) {
    return { matmul: rightNode, scale: node }
  }
  return null
}
