/**
 * Load-time graph cleanup: rewrites that leave every output unchanged but that ONNX Runtime's
 * own optimizer does not make. The one that pays today is the zero term of diffusers ≤ 0.21's
 * attention: `torch.baddbmm(torch.empty(…), q, kᵀ, beta=0)` exports as
 * `Add(x, Mul(ConstantOfShape(S, 0), 0))`, and since S is computed at run time ORT cannot fold
 * it, so each self-attention at 64×64 latents allocates and adds a 1 GiB tensor of zeros.
 *
 * Conservative by construction: an Add is only touched when the fill value and the multiplier
 * are provably zero constants, and x is only passed through when S provably broadcasts into
 * x's shape (broadcast-proof.ts); otherwise the Add becomes `Expand(x, S)`, which has exactly
 * the Add's output shape and still drops the zero tensor and the Mul. (x + 0 turns −0 into +0;
 * passing x through keeps −0, the only difference, and no later op here can tell them apart.)
 */
import { clone, create } from '@bufbuild/protobuf'
import { ModelProtoSchema, NodeProtoSchema } from 'onnx-buf'
import type { ModelProto, NodeProto } from 'onnx-buf'
import { BroadcastProof } from './broadcast-proof'
import { isExternal } from '../external-data'
import { GraphIndex, isAllZero, tensorValue } from './graph-index'
import type { ConstValue } from './graph-index'

/** Bump when the pass starts writing different graphs: it is part of derived-graph cache keys. */
export const CLEANUP_VERSION = 1

export interface CleanupReport {
  /** `Add(x, Mul(ConstantOfShape(S, 0), 0))` patterns removed. */
  readonly zeroAdds: number
  /** Of those, how many became `Expand(x, S)` because S could not be proven to fit x. */
  readonly expanded: number
  /** Nodes fewer than before (the Adds, their zero Muls, fills, constants, shape arithmetic). */
  readonly removedNodes: number
  readonly removedInitializers: number
}

export interface CleanupResult {
  /** A new model when changed (the input is never modified), else the input itself. */
  readonly model: ModelProto
  readonly changed: boolean
  readonly report: CleanupReport
}

const UNCHANGED: CleanupReport = {
  zeroAdds: 0,
  expanded: 0,
  removedNodes: 0,
  removedInitializers: 0,
}

const isDefault = (n: NodeProto): boolean => n.domain === '' || n.domain === 'ai.onnx'

export function cleanupGraph(model: ModelProto): CleanupResult {
  const graph = model.graph
  if (graph === undefined) return { model, changed: false, report: UNCHANGED }
  const nodes = graph.node.map((n) => clone(NodeProtoSchema, n))
  const index = new GraphIndex(graph, nodes)
  // Subgraphs may read outer values by name, which rewiring cannot see: leave such graphs be.
  if (index.hasSubgraphs()) return { model, changed: false, report: UNCHANGED }
  const proof = new BroadcastProof(index)
  const replaced = new Map<NodeProto, NodeProto>()
  const removedInits = new Set<string>()
  const removedValues = new Set<string>()
  let zeroAdds = 0
  let expanded = 0

  /** Removes whatever only the given values' producers needed, back to live values. */
  const sweep = (values: readonly string[]): void => {
    const work = [...values]
    for (let v = work.pop(); v !== undefined; v = work.pop()) {
      if (v === '' || index.isLive(v)) continue
      const p = index.producer.get(v)
      if (p !== undefined) {
        if (p.output.some((o) => index.isLive(o))) continue
        index.removeNode(p)
        p.output.forEach((o) => removedValues.add(o))
        work.push(...p.input)
      } else if (index.initializers.has(v) && !index.graphInputs.has(v)) {
        removedInits.add(v)
        removedValues.add(v)
      }
    }
  }

  for (const add of nodes) {
    if (add.opType !== 'Add' || !isDefault(add) || add.input.length !== 2) continue
    if (!index.nodes.has(add)) continue
    const out = add.output[0]
    if (out === undefined || out === '') continue
    for (const j of [1, 0]) {
      const zero = add.input[j] ?? ''
      const x = add.input[1 - j] ?? ''
      const fill = zeroFill(index, zero)
      if (fill === undefined || x === '') continue
      // Mul(fill, z) has S's shape only if z's all-ones dims are no more than S's.
      if (fill.zRank > 0 && (proof.length(fill.shape) ?? -1) < fill.zRank) continue
      const fits = proof.broadcastsInto(fill.shape, x)
      index.removeNode(add)
      let replacement: NodeProto | undefined
      if (!fits) replacement = makeNode('Expand', [x, fill.shape], out, add.name)
      else if (index.graphOutputs.has(out)) replacement = makeNode('Identity', [x], out, add.name)
      else index.replaceUses(out, x)
      if (replacement === undefined) removedValues.add(out)
      else {
        index.addNode(replacement)
        replaced.set(add, replacement)
      }
      sweep([zero])
      zeroAdds++
      if (!fits) expanded++
      break
    }
  }
  if (zeroAdds === 0) return { model, changed: false, report: UNCHANGED }

  const finalNodes = nodes.map((n) => replaced.get(n) ?? n).filter((n) => index.nodes.has(n))
  const out = shallowModelCopy(model)
  const g = out.graph
  if (g === undefined) throw new Error('unreachable: the copy lost its graph')
  g.node = finalNodes
  g.initializer = graph.initializer.filter((t) => !removedInits.has(t.name))
  g.valueInfo = graph.valueInfo.filter((v) => !removedValues.has(v.name))
  const report = {
    zeroAdds,
    expanded,
    removedNodes: graph.node.length - finalNodes.length,
    removedInitializers: removedInits.size,
  }
  return { model: out, changed: true, report }
}

/**
 * If `value` is `Mul(ConstantOfShape(S, 0), z)` (either order, through Identity/Cast) with z a
 * one-element constant zero, returns S and z's rank.
 */
function zeroFill(index: GraphIndex, value: string): { shape: string; zRank: number } | undefined {
  const mul = index.producer.get(value)
  if (mul?.opType !== 'Mul' || !isDefault(mul) || mul.input.length !== 2) return undefined
  for (const k of [0, 1]) {
    const fill = through(index, mul.input[k] ?? '')
    if (fill?.opType !== 'ConstantOfShape' || !isDefault(fill)) continue
    const shape = fill.input[0]
    if (shape === undefined || shape === '' || !zeroFillValue(fill)) continue
    const z = constantThrough(index, mul.input[1 - k] ?? '')
    if (z === undefined || z.data.length !== 1 || !isAllZero(z)) continue
    if (z.dims.some((d) => d !== 1)) continue
    return { shape, zRank: z.dims.length }
  }
  return undefined
}

/** ConstantOfShape's fill: absent means float 0; otherwise a one-element zero tensor. */
function zeroFillValue(node: NodeProto): boolean {
  const attr = node.attribute.find((a) => a.name === 'value')
  if (attr === undefined) return true
  const c = attr.t === undefined || isExternal(attr.t) ? undefined : tensorValue(attr.t)
  return c !== undefined && c.data.length === 1 && isAllZero(c)
}

/** The producer of `value`, looking through Identity and Cast (they keep zeros zero). */
function through(index: GraphIndex, value: string): NodeProto | undefined {
  let p = index.producer.get(value)
  while (p !== undefined && isDefault(p) && (p.opType === 'Identity' || p.opType === 'Cast')) {
    p = index.producer.get(p.input[0] ?? '')
  }
  return p
}

function constantThrough(index: GraphIndex, value: string): ConstValue | undefined {
  const direct = index.constant(value)
  if (direct !== undefined) return direct
  const p = index.producer.get(value)
  if (p === undefined || !isDefault(p) || (p.opType !== 'Identity' && p.opType !== 'Cast'))
    return undefined
  return constantThrough(index, p.input[0] ?? '')
}

function makeNode(opType: string, input: string[], output: string, from: string): NodeProto {
  return create(NodeProtoSchema, {
    opType,
    input,
    output: [output],
    name: `${from}/cleanup_${opType}`,
  })
}

/** A copy of the model's messages except nodes and initializers, which the caller sets. */
function shallowModelCopy(model: ModelProto): ModelProto {
  const graph = model.graph
  if (graph === undefined) return clone(ModelProtoSchema, model)
  const { node, initializer } = graph
  graph.node = []
  graph.initializer = []
  try {
    return clone(ModelProtoSchema, model)
  } finally {
    graph.node = node
    graph.initializer = initializer
  }
}
