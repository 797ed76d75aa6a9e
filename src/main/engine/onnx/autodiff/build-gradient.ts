/**
 * Reverse-mode autodiff for ONNX graphs. Given a forward model, the inputs to differentiate and
 * a loss, emits one model that computes the forward outputs, the loss and the gradients with
 * standard ONNX ops, so it runs in an ordinary onnxruntime-node inference session (ORT's own
 * gradient builder is training-build only and emits kernels the npm package lacks).
 *
 * 1. Probe: one forward run fixes every value's shape and type (probe.ts).
 * 2. Select: nodes on a differentiable path from `wrt` to the loss output (analysis.ts). Any op
 *    there without a rule is an error listing them all, before anything is emitted.
 * 3. Emit: walk the selected nodes in reverse topological order, summing the gradient
 *    contributions of each value (fan-out, accumulate.ts) before passing them to its producer's
 *    rule.
 * 4. Rematerialize: large attention probabilities are recomputed where the backward pass reads
 *    them instead of being held from the forward pass (remat.ts).
 * 5. Pin: initializers a backward ConvTranspose reads are declared graph inputs too
 *    (`pinnedWeights`), so ORT's layout pass does not hold them twice.
 * The forward graph is kept whole, its outputs included; the backward nodes read its values.
 */
import type { GraphProto, ModelProto, NodeProto } from 'onnx-buf'
import type * as ort from 'onnxruntime-node'
import { makeTensorProto } from '../tensor-proto'
import {
  activeValues,
  constantScalars,
  neededNodes,
  staticValues,
  topologicalOrder,
} from './analysis'
import { Emitter } from './emitter'
import { isFloat, makeGradContext } from './grad-context'
import type { ForwardFacts } from './grad-context'
import { emitLoss } from './loss'
import type { LossSpec } from './loss'
import { attentionPairs, attentionProductGrads, attentionSoftmaxGrad } from './attention-softmax'
import { probeModel } from './probe'
import { rematerializeSoftmax } from './remat'
import { sumContributions } from './accumulate'
import { onnxTypeOf, staticValueInfo } from './value-types'
import type { ProbeOptions, ProbeResult } from './probe'
import { DEFAULT_RULES } from './rules'
import { convRule } from './rules/conv'
import { MissingGradientRulesError } from './types'
import type { RuleTable, ValueInfo } from './types'

export interface GradientSpec {
  /** Graph inputs to differentiate (float). Make initializers inputs first (surgery/kv-inputs). */
  readonly wrt: readonly string[]
  readonly loss: LossSpec
  /** One tensor per graph input: the shapes the gradient graph is built for. */
  readonly probeFeeds: Readonly<Record<string, ort.Tensor>>
  /** Folder the model's external data resolves against (needed for the probe run). */
  readonly modelDir?: string
  /** A probe of the same model and feed shapes, to skip the probe run. */
  readonly probe?: ProbeResult
  readonly probeOptions?: Omit<ProbeOptions, 'modelDir'>
  /** The gradient rules (default: every family in rules/). */
  readonly rules?: RuleTable
  /** Output name per wrt input (default `grad:<name>`). */
  readonly gradName?: (input: string) => string
  /** Name of the loss output (default `loss`). */
  readonly lossName?: string
  /**
   * Attention probabilities (Softmax outputs) at least this large are recomputed in the
   * backward pass instead of held from the forward pass (remat.ts; default 64 MiB,
   * `Infinity` never).
   */
  readonly rematMinBytes?: number
  /** The last this many qualifying Softmax outputs keep their forward copy (remat.ts; default 1). */
  readonly rematKeepLast?: number
}

export interface GradientModel {
  readonly model: ModelProto
  /** The scalar loss output. */
  readonly loss: string
  /** Gradient output name per wrt input. */
  readonly grads: Readonly<Record<string, string>>
  /** The forward model's outputs, still outputs of `model`. */
  readonly forwardOutputs: readonly string[]
  /** Inputs the loss added (MSE target or weight). */
  readonly lossInputs: readonly string[]
  /** wrt inputs the loss does not depend on: their gradient output is zeros. */
  readonly disconnected: readonly string[]
  /** Forward Softmax outputs the backward pass recomputes instead of holding (remat.ts). */
  readonly rematerialized: readonly string[]
  /**
   * Forward initializers the backward pass reads in their stored layout (the weights of the
   * ConvTranspose nodes that give a Conv its input gradient). They are declared graph inputs
   * too: overridable initializers, still loaded from the model when not fed, which ONNX Runtime
   * treats as non-constant. So its layout pass ('all') leaves their forward Conv alone instead of
   * adding a reordered copy beside the original that the backward still reads, while the other
   * Conv weights (and the flipped copies of conv.ts's Conv form) are reordered once.
   */
  readonly pinnedWeights: readonly string[]
  /** The forward nodes differentiated (names, `<Op>#<index>` when unnamed), in forward order. */
  readonly differentiated: readonly string[]
  readonly probe: ProbeResult
  readonly stats: { forwardNodes: number; neededNodes: number; backwardNodes: number }
}

export async function buildGradientModel(
  model: ModelProto,
  spec: GradientSpec,
): Promise<GradientModel> {
  const probe =
    spec.probe ??
    (await probeModel(model, spec.probeFeeds, {
      ...spec.probeOptions,
      ...(spec.modelDir === undefined ? {} : { modelDir: spec.modelDir }),
    }))
  return buildFromProbe(model, spec, probe)
}

/** The builder after the probe: synchronous, deterministic for a given probe. */
export function buildFromProbe(
  model: ModelProto,
  spec: Omit<GradientSpec, 'probeFeeds' | 'probe'>,
  probe: ProbeResult,
): GradientModel {
  const graph = model.graph
  if (graph === undefined) throw new Error('the model has no graph')
  const info = (value: string): ValueInfo => {
    const found = probe.values.get(value)
    if (found === undefined) throw new Error(`the probe did not record ${value}`)
    return found
  }
  checkSpec(model, spec, info)
  const order = topologicalOrder(graph)
  const active = activeValues(order, spec.wrt, info)
  const output = spec.loss.output
  const needed = neededNodes(order, active, output)
  const chosen = spec.rules ?? DEFAULT_RULES
  const rules =
    chosen.Conv === DEFAULT_RULES.Conv
      ? { ...chosen, Conv: convRule(convFormMinPositions(needed, info)) }
      : chosen
  const label = nodeLabels(order)
  const missing = needed
    .filter((n) => !isDefaultDomain(n.domain) || rules[n.opType] === undefined)
    .reverse()
    .map((n) => ({ opType: opLabel(n), node: label(n) }))
  if (missing.length > 0) throw new MissingGradientRulesError(missing)

  const taken = [
    ...graph.input.map((i) => i.name),
    ...graph.initializer.map((t) => t.name),
    ...graph.node.flatMap((n) => [n.name, ...n.output]),
  ]
  const emitter = new Emitter(opsetOf(model), taken)
  const lossName = emitter.fresh(spec.lossName ?? 'loss')
  const outInfo = info(output)
  const loss = emitLoss(spec.loss, outInfo, lossName, emitter)
  const fixed = staticValues(graph, order)
  const scalars = constantScalars(graph)
  const facts: ForwardFacts = {
    info,
    intValue: (v) => (fixed.has(v) ? probe.ints.get(v) : undefined),
    scalarValue: (v) => scalars.get(v),
    active,
  }

  const contributions = new Map<string, string[]>()
  const add = (value: string, grad: string): void => {
    const list = contributions.get(value)
    if (list === undefined) contributions.set(value, [grad])
    else list.push(grad)
  }
  const total = (value: string): string | null => {
    const list = contributions.get(value)
    if (list === undefined || list.length === 0) return null
    if (list.length === 1) return list[0] ?? null
    const sum = sumContributions(emitter, value, list, info(value).shape)
    contributions.set(value, [sum])
    return sum
  }
  if (active.has(output)) add(output, loss.seed)
  // Attention P·V pairs: the Softmax backward takes its row sums from dO and O (attention-softmax.ts).
  const pairs =
    rules.Softmax === DEFAULT_RULES.Softmax
      ? attentionPairs(order, new Set(graph.output.map((o) => o.name)), info, emitter.opset)
      : new Map<NodeProto, NodeProto>()
  const shiftedSoftmax = new Set<NodeProto>()
  for (const node of needed) {
    const outputGrads = node.output.map((o) => (o === '' ? null : total(o)))
    if (outputGrads.every((g) => g === null)) continue
    const scope = `grad/${label(node)}`
    const ctx = makeGradContext(node, scope, emitter, facts)
    const rule = rules[node.opType]
    if (rule === undefined) throw new Error(`no rule for ${node.opType}`)
    const softmaxOfPair = pairs.get(node)
    const dY = outputGrads[0]
    let grads: (string | null)[]
    try {
      if (softmaxOfPair !== undefined && dY !== null && dY !== undefined && ctx.needsGrad(0)) {
        grads = attentionProductGrads(ctx, node, dY, rule)
        shiftedSoftmax.add(softmaxOfPair)
      } else if (shiftedSoftmax.has(node) && dY !== null && dY !== undefined) {
        grads = [ctx.needsGrad(0) ? attentionSoftmaxGrad(ctx, node, dY) : null]
      } else {
        grads = rule(node, outputGrads, ctx)
      }
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      throw new Error(`the ${node.opType} gradient rule failed on node ${label(node)}: ${reason}`)
    }
    node.input.forEach((input, i) => {
      const g = grads[i]
      if (g !== null && g !== undefined && ctx.needsGrad(i)) add(input, g)
    })
  }

  const rematerialized = rematerializeSoftmax(order, emitter, info, spec.rematMinBytes, spec.rematKeepLast)

  const grads: Record<string, string> = {}
  const disconnected: string[] = []
  for (const w of spec.wrt) {
    const name = emitter.fresh(spec.gradName?.(w) ?? `grad:${w}`)
    const g = total(w)
    if (g === null) {
      disconnected.push(w)
      emitter.emitTo(`grad/${w}`, 'ConstantOfShape', [emitter.intConst(info(w).shape)], [name], {
        value: { kind: 'tensor', value: zeroTensor(info(w)) },
      })
    } else {
      emitter.emitTo(`grad/${w}`, 'Identity', [g], [name])
    }
    grads[w] = name
  }

  const pinnedWeights = backwardLayoutWeights(graph, emitter.nodes)
  const out: ModelProto = {
    ...model,
    graph: {
      ...graph,
      node: [...order, ...emitter.nodes],
      initializer: [...graph.initializer, ...emitter.initializers],
      input: [
        ...graph.input.map((i) => {
          const known = probe.values.get(i.name)
          return known === undefined || known.type === 'other' ? i : staticValueInfo(i.name, known)
        }),
        ...loss.inputs,
        ...pinnedWeights.map((w) => staticValueInfo(w, info(w))),
      ],
      output: [
        ...graph.output,
        staticValueInfo(lossName, { shape: [], type: outInfo.type }),
        ...spec.wrt.map((w) => staticValueInfo(grads[w] ?? '', info(w))),
      ],
    },
  }
  return {
    model: out,
    loss: lossName,
    grads,
    forwardOutputs: graph.output.map((o) => o.name),
    lossInputs: loss.inputs.map((i) => i.name),
    disconnected,
    rematerialized,
    pinnedWeights,
    differentiated: needed.map(label).reverse(),
    probe,
    stats: {
      forwardNodes: order.length,
      neededNodes: needed.length,
      backwardNodes: emitter.nodes.length,
    },
  }
}

function checkSpec(
  model: ModelProto,
  spec: Omit<GradientSpec, 'probeFeeds' | 'probe'>,
  info: (value: string) => ValueInfo,
): void {
  const graph = model.graph
  if (graph === undefined) throw new Error('the model has no graph')
  if (spec.wrt.length === 0) throw new Error('nothing to differentiate: wrt is empty')
  const inputs = new Set(graph.input.map((i) => i.name))
  const initializers = new Set(graph.initializer.map((t) => t.name))
  const seen = new Set<string>()
  for (const w of spec.wrt) {
    if (seen.has(w)) throw new Error(`${w} is listed twice in wrt`)
    seen.add(w)
    if (!inputs.has(w)) {
      throw new Error(
        initializers.has(w)
          ? `${w} is an initializer; make it a graph input first (see surgery/kv-inputs.ts)`
          : `${w} is not an input of the model`,
      )
    }
    const t = info(w).type
    if (!isFloat(t)) throw new Error(`${w} is ${t}; only float inputs can be differentiated`)
  }
  const out = spec.loss.output
  const exists = inputs.has(out) || graph.node.some((n) => n.output.includes(out))
  if (!exists) throw new Error(`the loss output ${out} is not a value of the model`)
}

function opsetOf(model: ModelProto): number {
  const entry = model.opsetImport.find((o) => isDefaultDomain(o.domain))
  if (entry === undefined) throw new Error('the model imports no default-domain opset')
  return Number(entry.version)
}

function isDefaultDomain(domain: string): boolean {
  return domain === '' || domain === 'ai.onnx'
}

function opLabel(node: NodeProto): string {
  return isDefaultDomain(node.domain) ? node.opType : `${node.domain}::${node.opType}`
}

/** Each node's name, or `<Op>#<index>` for unnamed nodes (old exporters). */
function nodeLabels(order: readonly NodeProto[]): (node: NodeProto) => string {
  const index = new Map(order.map((n, i) => [n, i]))
  return (node) => (node.name !== '' ? node.name : `${node.opType}#${index.get(node) ?? '?'}`)
}

function zeroTensor(info: ValueInfo): ReturnType<typeof makeTensorProto> {
  const type = onnxTypeOf(info.type)
  if (info.type === 'float64') return makeTensorProto('value', [1], new Float64Array(1), type)
  if (info.type === 'float16') return makeTensorProto('value', [1], new Uint16Array(1), type)
  return makeTensorProto('value', [1], new Float32Array(1), type)
}

/**
 * The Conv rule's threshold for this graph: a quarter of the largest Conv input's positions, so
 * the Conv form (a flipped copy of the weight) covers the two highest-resolution levels of a
 * U-Net. Their weights are its smallest (SD1.5: 320 and 640 channels, 0.2 GB of copies at any
 * resolution), where the lower levels hold the 1280-channel weights that stay ConvTranspose.
 * At 64×64 latents that is the fixed 1024 positions of `CONV_FORM_MIN_POSITIONS`; at 32×32 it
 * also covers the 16×16 level, whose ConvTransposes took 0.2 s of a 1.5 s backward pass.
 */
function convFormMinPositions(needed: readonly NodeProto[], info: (v: string) => ValueInfo): number {
  let largest = 0
  for (const n of needed) {
    if (n.opType !== 'Conv') continue
    const positions = info(n.input[0] ?? '').shape.slice(2).reduce((p, d) => p * d, 1)
    largest = Math.max(largest, positions)
  }
  return Math.max(1, Math.ceil(largest / 4))
}

/** Initializers (not graph inputs) that emitted ConvTranspose nodes read as their weight. */
function backwardLayoutWeights(graph: GraphProto, backward: readonly NodeProto[]): string[] {
  const initializers = new Set(graph.initializer.map((t) => t.name))
  const inputs = new Set(graph.input.map((i) => i.name))
  const weights = backward
    .filter((n) => n.opType === 'ConvTranspose')
    .map((n) => n.input[1] ?? '')
    .filter((w) => initializers.has(w) && !inputs.has(w))
  return [...new Set(weights)]
}
