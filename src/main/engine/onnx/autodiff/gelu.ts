/**
 * The backward pass of GELU in its erf form, as nn.GELU() exports it:
 * Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5), taken as one unit:
 *   dx = dy · (Φ(x) + x·φ(x)),  Φ(x) = ½(1 + erf(x/√2)),  φ(x) = exp(−x²/2) / √(2π),
 * recomputed from x alone. Op by op, the chain's backward reads x/√2 (Erf's rule) and
 * 1 + erf(x/√2) (the product's rule), two more tensors the size of x held from the forward
 * pass until the backward pass reaches them: in SD's GEGLU that is 40 MiB per 64×64
 * transformer block, about 0.35 GiB of the SD1.5 U-Net's peak at 64×64 latents. With the inner
 * values read by nothing else, ONNX Runtime can also fuse the forward chain into one kernel.
 *
 * A chain qualifies when each inner value has exactly one reader (the next op of the chain,
 * x aside) and none is a graph output; the constants may sit on either side of Add and Mul.
 */
import type { NodeProto } from 'onnx-buf'
import type { GradContext } from './types'

const TOLERANCE = 1e-6

/** The last node (the Mul by ½) of each GELU chain, mapped to the chain's input x. */
export function geluChains(
  order: readonly NodeProto[],
  graphOutputs: ReadonlySet<string>,
  scalar: (value: string) => number | undefined,
): Map<NodeProto, string> {
  const producer = new Map<string, NodeProto>()
  const readers = new Map<string, NodeProto[]>()
  for (const n of order) {
    for (const o of n.output) producer.set(o, n)
    for (const i of new Set(n.input)) {
      const list = readers.get(i)
      if (list === undefined) readers.set(i, [n])
      else list.push(n)
    }
  }
  const onlyReader = (value: string, opType: string): NodeProto | undefined => {
    const list = readers.get(value) ?? []
    const node = list[0]
    return list.length === 1 && node?.opType === opType && isDefault(node) && !graphOutputs.has(value)
      ? node
      : undefined
  }
  const near = (value: string, expected: number): boolean => {
    const v = scalar(value)
    return v !== undefined && Math.abs(v - expected) <= TOLERANCE * Math.abs(expected)
  }
  /** The operand of a two-input node that is not `known`, when `known` is one of them. */
  const other = (node: NodeProto, known: string): string | undefined => {
    const [a = '', b = ''] = node.input
    return node.input.length !== 2 ? undefined : a === known ? b : b === known ? a : undefined
  }

  const chains = new Map<NodeProto, string>()
  for (const erf of order) {
    if (erf.opType !== 'Erf' || !isDefault(erf)) continue
    const u = erf.input[0] ?? ''
    const div = producer.get(u)
    if (div?.opType !== 'Div' || !isDefault(div) || !near(div.input[1] ?? '', Math.SQRT2)) continue
    const x = div.input[0] ?? ''
    if (onlyReader(u, 'Erf') !== erf) continue
    const add = onlyReader(erf.output[0] ?? '', 'Add')
    const one = add === undefined ? undefined : other(add, erf.output[0] ?? '')
    if (add === undefined || one === undefined || !near(one, 1)) continue
    const product = onlyReader(add.output[0] ?? '', 'Mul')
    if (product === undefined || other(product, add.output[0] ?? '') !== x) continue
    const half = onlyReader(product.output[0] ?? '', 'Mul')
    const scale = half === undefined ? undefined : other(half, product.output[0] ?? '')
    if (half === undefined || scale === undefined || !near(scale, 0.5)) continue
    chains.set(half, x)
  }
  return chains
}

/** dy · (Φ(x) + x·φ(x)) for the chain input x. */
export function geluGrad(ctx: GradContext, x: string, dy: string): string {
  const c = (v: number): string => ctx.floatConst([v], [])
  const cdf = ctx.op('Add', [
    ctx.op('Mul', [ctx.op('Erf', [ctx.op('Mul', [x, c(Math.SQRT1_2)])]), c(0.5)]),
    c(0.5),
  ])
  const density = ctx.op('Exp', [ctx.op('Mul', [ctx.op('Mul', [x, x]), c(-0.5)])])
  const tail = ctx.op('Mul', [ctx.op('Mul', [x, density]), c(1 / Math.sqrt(2 * Math.PI))])
  return ctx.op('Mul', [dy, ctx.op('Add', [cdf, tail])])
}

function isDefault(node: NodeProto): boolean {
  return node.domain === '' || node.domain === 'ai.onnx'
}
