import type { ModelProto, NodeProto } from 'onnx-buf'
import type { ExpectedAttention, UNetLayoutConfig } from './unet-layout'
import { SD_UNET_LAYOUT, expectedAttentions } from './unet-layout'

/** One cross-attention K or V projection: `MatMul(encoder_hidden_states, B)`, B = Wᵀ [ctx, C]. */
export interface KvProjection {
  /** diffusers module path, e.g. `down_blocks.0.attentions.1.transformer_blocks.0.attn2.to_k` */
  readonly path: string
  readonly kind: 'to_k' | 'to_v'
  readonly initializer: string
  readonly nodeName: string
  readonly contextDim: number
  readonly width: number
}

export interface KvDiscovery {
  readonly projections: readonly KvProjection[]
  readonly contextDim: number
  /** How the names were obtained. */
  readonly naming: 'node-names' | 'config' | 'sd-layout'
}

/** A graph we cannot edit safely; the message says why and what to do. */
export class KvDiscoveryError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KvDiscoveryError'
  }
}

const FUSED_OPS = new Set([
  'Attention',
  'MultiHeadAttention',
  'PackedAttention',
  'PackedMultiHeadAttention',
  'GroupQueryAttention',
])
const PASS_THROUGH = new Set(['Cast', 'Identity'])
const NAME_RE =
  /(down_blocks\.\d+|mid_block|up_blocks\.\d+)[/.]attentions\.(\d+)[/.]transformer_blocks\.(\d+)[/.]attn2[/.](to_k|to_v)/

interface Candidate {
  readonly node: NodeProto
  readonly initializer: string
  readonly contextDim: number
  readonly width: number
  readonly order: number
}

/**
 * Finds every cross-attention K/V projection by structure (names of initializers are
 * auto-generated in real exports), then names it: from module-path node names when the export
 * has them, else by forward order against the U-Net layout (from `unet/config.json`, or Stable
 * Diffusion's own layout when the count and widths match SD1.x/SD2.x). Pairing is verified: each
 * attention has exactly one to_k and one to_v of equal width, and to_v feeds the product with
 * the softmax output while to_k feeds the one before it.
 */
export function discoverKv(
  model: ModelProto,
  layout: UNetLayoutConfig | null,
  contextInput = 'encoder_hidden_states',
): KvDiscovery {
  const graph = model.graph
  if (!graph) throw new KvDiscoveryError('The U-Net model has no graph.')
  const fused = graph.node.filter(
    (n) => (n.domain === 'com.microsoft' && FUSED_OPS.has(n.opType)) || n.opType === 'Attention',
  )
  if (fused.length > 0) {
    throw new KvDiscoveryError(
      `This U-Net uses fused attention (${fused[0]!.domain || 'ai.onnx'}::${fused[0]!.opType} in node "${fused[0]!.name}"), which packs K and V so they cannot be edited. Export the model without attention fusion (for example Optimum without --optimize, or the diffusers conversion script).`,
    )
  }
  if (!graph.input.some((i) => i.name === contextInput)) {
    throw new KvDiscoveryError(
      `The model has no "${contextInput}" input, so it is not a Stable Diffusion U-Net. Choose the unet/model.onnx of a diffusers ONNX export.`,
    )
  }
  const aliases = contextAliases(graph.node, contextInput)
  const inits = new Map(graph.initializer.map((t) => [t.name, t]))
  const candidates: Candidate[] = []
  graph.node.forEach((node, order) => {
    if (node.opType !== 'MatMul' || !aliases.has(node.input[0] ?? '')) return
    const init = inits.get(node.input[1] ?? '')
    if (!init || init.dims.length !== 2) {
      if (!init && node.input[1]) {
        throw new KvDiscoveryError(
          `A cross-attention projection (node "${node.name}") takes its weight from a computed value, not a stored matrix (packed KV?); this export cannot be edited. Re-export without graph fusion.`,
        )
      }
      return
    }
    candidates.push({
      node,
      initializer: init.name,
      contextDim: Number(init.dims[0]),
      width: Number(init.dims[1]),
      order,
    })
  })
  if (candidates.length === 0) {
    throw new KvDiscoveryError(
      `No cross-attention K/V projections were found (MatMul of "${contextInput}" with a stored [context, C] matrix). This graph is not a U-Net we can edit.`,
    )
  }
  const contextDim = candidates[0]!.contextDim
  const odd = candidates.find((c) => c.contextDim !== contextDim)
  if (odd)
    throw new KvDiscoveryError(
      `K/V projections disagree on the context width (${contextDim} vs ${odd.contextDim} in "${odd.node.name}").`,
    )
  if (candidates.length % 2 !== 0)
    throw new KvDiscoveryError(
      `Found ${candidates.length} K/V projections, an odd number: K and V must come in pairs.`,
    )

  const roles = candidates.map((c) => roleOf(graph.node, c.node))
  const named = candidates.map((c) => NAME_RE.exec(c.node.name))
  if (named.every((m) => m !== null)) {
    const projections = candidates.map((c, i) => {
      const m = named[i]!
      const kind = m[4] as 'to_k' | 'to_v'
      checkRole(kind, roles[i]!, c)
      return {
        path: `${m[1]}.attentions.${m[2]}.transformer_blocks.${m[3]}.attn2.${kind}`,
        kind,
        initializer: c.initializer,
        nodeName: c.node.name,
        contextDim,
        width: c.width,
      }
    })
    checkPairs(projections)
    if (layout) checkAgainstLayout(projections, expectedAttentions(layout))
    return { projections, contextDim, naming: 'node-names' }
  }

  const expected = layout ? expectedAttentions(layout) : expectedAttentions(SD_UNET_LAYOUT)
  if (
    expected.length * 2 !== candidates.length ||
    !expected.every((e, i) => e.width === candidates[2 * i]!.width)
  ) {
    const widths = candidates
      .filter((_, i) => i % 2 === 0)
      .map((c) => c.width)
      .join(', ')
    throw new KvDiscoveryError(
      layout
        ? `The U-Net's K/V projections (${candidates.length / 2} attentions, widths ${widths}) do not match unet/config.json (${expected.length} attentions). The config belongs to another model.`
        : `This export has no module-path node names and no unet/config.json, and its ${candidates.length / 2} cross-attentions (widths ${widths}) are not Stable Diffusion 1.x/2.x's 16. Add the U-Net's config.json next to unet/model.onnx so layers can be named.`,
    )
  }
  const projections: KvProjection[] = []
  for (let i = 0; i < expected.length; i++) {
    const pair = [candidates[2 * i]!, candidates[2 * i + 1]!]
    const pairRoles = [roles[2 * i]!, roles[2 * i + 1]!]
    const kFirst = pairRoles[0] !== 'to_v' && pairRoles[1] !== 'to_k'
    const kinds: ('to_k' | 'to_v')[] = kFirst ? ['to_k', 'to_v'] : ['to_v', 'to_k']
    pair.forEach((c, j) => {
      checkRole(kinds[j]!, pairRoles[j]!, c)
      projections.push({
        path: `${expected[i]!.path}.${kinds[j]}`,
        kind: kinds[j]!,
        initializer: c.initializer,
        nodeName: c.node.name,
        contextDim,
        width: c.width,
      })
    })
  }
  checkPairs(projections)
  return { projections, contextDim, naming: layout ? 'config' : 'sd-layout' }
}

function contextAliases(nodes: readonly NodeProto[], input: string): Set<string> {
  const aliases = new Set([input])
  let grew = true
  while (grew) {
    grew = false
    for (const n of nodes) {
      if (
        PASS_THROUGH.has(n.opType) &&
        aliases.has(n.input[0] ?? '') &&
        n.output[0] &&
        !aliases.has(n.output[0])
      ) {
        aliases.add(n.output[0])
        grew = true
      }
    }
  }
  return aliases
}

type Role = 'to_k' | 'to_v' | 'unknown'
const SHAPE_OPS = new Set([
  'Reshape',
  'Transpose',
  'Cast',
  'Identity',
  'Mul',
  'Div',
  'Unsqueeze',
  'Squeeze',
])

/**
 * Follows a projection's output through reshapes and scalings to the first MatMul it feeds.
 * If the other operand of that MatMul comes (through the same kind of ops) from a Softmax, this
 * is V (attention·V); otherwise it is K (Q·Kᵀ).
 */
function roleOf(nodes: readonly NodeProto[], start: NodeProto): Role {
  const consumers = new Map<string, NodeProto[]>()
  const producer = new Map<string, NodeProto>()
  for (const n of nodes) {
    n.input.forEach((i) => consumers.set(i, [...(consumers.get(i) ?? []), n]))
    n.output.forEach((o) => producer.set(o, n))
  }
  let frontier = [start.output[0] ?? '']
  for (let depth = 0; depth < 12 && frontier.length > 0; depth++) {
    const next: string[] = []
    for (const value of frontier) {
      for (const c of consumers.get(value) ?? []) {
        if (c.opType === 'MatMul') {
          const other = c.input[0] === value ? c.input[1] : c.input[0]
          return fromSoftmax(producer, other ?? '') ? 'to_v' : 'to_k'
        }
        if (SHAPE_OPS.has(c.opType) && c.output[0]) next.push(c.output[0])
      }
    }
    frontier = next
  }
  return 'unknown'
}

function fromSoftmax(producer: Map<string, NodeProto>, value: string): boolean {
  let v = value
  for (let depth = 0; depth < 6; depth++) {
    const p = producer.get(v)
    if (!p) return false
    if (p.opType === 'Softmax') return true
    if (!SHAPE_OPS.has(p.opType) || !p.input[0]) return false
    v = p.input[0]
  }
  return false
}

function checkRole(kind: 'to_k' | 'to_v', role: Role, c: Candidate): void {
  if (role !== 'unknown' && role !== kind) {
    throw new KvDiscoveryError(
      `Node "${c.node.name}" is named ${kind} but is used as ${role}; the export's K/V pairing is not what we expect.`,
    )
  }
}

function checkPairs(projections: readonly KvProjection[]): void {
  const byLayer = new Map<string, KvProjection[]>()
  for (const p of projections) {
    const layer = p.path.replace(/\.(to_k|to_v)$/, '')
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), p])
  }
  for (const [layer, ps] of byLayer) {
    const kinds = ps
      .map((p) => p.kind)
      .sort()
      .join(',')
    if (kinds !== 'to_k,to_v')
      throw new KvDiscoveryError(
        `Attention ${layer} has projections [${kinds}] instead of one to_k and one to_v.`,
      )
    if (ps[0]!.width !== ps[1]!.width)
      throw new KvDiscoveryError(`Attention ${layer} has to_k and to_v of different widths.`)
  }
}

function checkAgainstLayout(
  projections: readonly KvProjection[],
  expected: readonly ExpectedAttention[],
): void {
  const want = new Map(expected.map((e) => [e.path, e.width]))
  for (const p of projections) {
    const layer = p.path.replace(/\.(to_k|to_v)$/, '')
    const width = want.get(layer)
    if (width === undefined || width !== p.width) {
      throw new KvDiscoveryError(
        `K/V layer ${p.path} (width ${p.width}) is not in the U-Net's config.json layout; the config belongs to another model.`,
      )
    }
  }
}
