/**
 * Symbolic shape reasoning, just enough to prove that adding a zero tensor of runtime shape S to
 * x cannot change x's shape (S broadcasts into shape(x)), so the Add may be dropped. Exports
 * rarely carry intermediate shapes, so dimensions are named by where they come from: `v#i` is
 * dimension i of value v. Each dimension keeps two sets of such names: `exact` (provably equal
 * to it) and `contrib` (provably equal to it or 1, e.g. a broadcast operand's dimension). S's
 * element j is safe when one of its exact names is a contributor of x's matching dimension.
 * Anything not understood is unknown, and unknown never proves anything.
 */
import type { NodeProto } from 'onnx-buf'
import { intAttribute, intsAttribute } from '../attributes'
import type { GraphIndex } from './graph-index'

interface SymDim {
  readonly exact: ReadonlySet<string>
  readonly contrib: ReadonlySet<string>
}
/** One element of a 1-D integer shape tensor: names it equals, and its value when constant. */
interface SymElem {
  readonly exact: ReadonlySet<string>
  readonly value?: number
}

const SAME_SHAPE = new Set([
  'Identity',
  'Cast',
  'Relu',
  'Sigmoid',
  'Tanh',
  'Erf',
  'Exp',
  'Log',
  'Neg',
  'Abs',
  'Sqrt',
  'Reciprocal',
  'Softmax',
  'LogSoftmax',
  'Sin',
  'Cos',
  'Floor',
  'Ceil',
  'Round',
  'Sign',
])
const BROADCAST = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Where', 'Max', 'Min'])
const MAX_DEPTH = 48

const dim = (exact: Iterable<string>, contrib: Iterable<string> = []): SymDim => {
  const e = new Set(exact)
  return { exact: e, contrib: new Set([...e, ...contrib]) }
}

export class BroadcastProof {
  private readonly shapes = new Map<string, SymDim[] | undefined>()
  private readonly ranks = new Map<string, number>()

  constructor(private readonly index: GraphIndex) {
    const g = index.graph
    for (const v of [...g.input, ...g.output, ...g.valueInfo]) {
      const type = v.type?.value
      if (type?.case === 'tensorType' && type.value.shape !== undefined)
        this.ranks.set(v.name, type.value.shape.dim.length)
    }
  }

  /** Proves broadcast(shape(x), S) = shape(x), S being the value of the 1-D tensor `shape`. */
  broadcastsInto(shape: string, x: string): boolean {
    const p = this.op(shape)
    if (p?.opType === 'Shape' && p.attribute.length === 0 && this.same(p.input[0] ?? '', x))
      return true
    const elems = this.elements(shape, 0)
    const xs = this.dims(x, 0)
    if (elems === undefined || xs === undefined || elems.length > xs.length) return false
    const offset = xs.length - elems.length
    return elems.every(
      (e, j) => e.value === 1 || [...e.exact].some((r) => xs[offset + j]?.contrib.has(r)),
    )
  }

  /** How many elements the 1-D tensor `shape` has, when that is known. */
  length(shape: string): number | undefined {
    const p = this.op(shape)
    if (p?.opType === 'Shape' && p.attribute.length === 0)
      return this.dims(p.input[0] ?? '', 0)?.length
    return this.elements(shape, 0)?.length
  }

  private op(value: string): NodeProto | undefined {
    const n = this.index.producer.get(value)
    return n === undefined || (n.domain !== '' && n.domain !== 'ai.onnx') ? undefined : n
  }

  private same(a: string, b: string): boolean {
    const strip = (v: string): string => {
      let p = this.op(v)
      while (p?.opType === 'Identity' && p.input[0] !== undefined) {
        v = p.input[0]
        p = this.op(v)
      }
      return v
    }
    return strip(a) === strip(b)
  }

  /** The symbolic dims of `v`, or undefined when even its rank is unknown. */
  private dims(v: string, depth: number): SymDim[] | undefined {
    if (this.shapes.has(v)) return this.shapes.get(v)
    const derived = depth > MAX_DEPTH ? undefined : this.derive(v, depth + 1)
    const rank = derived?.length ?? this.constRank(v) ?? this.ranks.get(v)
    const out =
      rank === undefined
        ? undefined
        : Array.from({ length: rank }, (_, i) => {
            const d = derived?.[i]
            return dim([`${v}#${i}`, ...(d?.exact ?? [])], d?.contrib ?? [])
          })
    this.shapes.set(v, out)
    return out
  }

  private constRank(v: string): number | undefined {
    return this.index.initializers.get(v)?.dims.length ?? this.index.constant(v)?.dims.length
  }

  private derive(v: string, depth: number): SymDim[] | undefined {
    const n = this.op(v)
    if (n === undefined || n.output[0] !== v) return undefined
    const d = (i: number): SymDim[] | undefined => this.dims(n.input[i] ?? '', depth)
    if (SAME_SHAPE.has(n.opType)) return d(0)
    if (BROADCAST.has(n.opType)) return broadcast(n.input.map((_, i) => d(i)))
    switch (n.opType) {
      case 'MatMul': {
        const [a, b] = [d(0), d(1)]
        if (a === undefined || b === undefined || a.length < 2 || b.length < 2) return undefined
        const batch = broadcast([a.slice(0, -2), b.slice(0, -2)])
        const [rows, cols] = [a[a.length - 2], b[b.length - 1]]
        if (batch === undefined || rows === undefined || cols === undefined) return undefined
        return [...batch, dim(rows.exact), dim(cols.exact)]
      }
      case 'Transpose': {
        const a = d(0)
        if (a === undefined) return undefined
        const perm = intsAttribute(n, 'perm') ?? a.map((_, i) => a.length - 1 - i)
        const out = perm.map((p) => a[p])
        return out.every((x) => x !== undefined) ? out.map((x) => dim(x.exact)) : undefined
      }
      case 'Reshape': {
        const elems = this.elements(n.input[1] ?? '', depth)
        const keepZero = intAttribute(n, 'allowzero', 0) === 1
        return elems?.map((e, i) =>
          e.value === 0 && !keepZero ? dim(d(0)?.[i]?.exact ?? []) : dim(e.exact),
        )
      }
      case 'ConstantOfShape':
        return this.elements(n.input[0] ?? '', depth)?.map((e) => dim(e.exact))
      case 'Expand': {
        const elems = this.elements(n.input[1] ?? '', depth)
        return broadcast([d(0), elems?.map((e) => dim(e.exact))])
      }
      default:
        return undefined
    }
  }

  /** The elements of a 1-D integer tensor computed from shapes and constants. */
  private elements(v: string, depth: number): SymElem[] | undefined {
    if (depth > MAX_DEPTH) return undefined
    const c = this.index.intConstant(v)
    if (c !== undefined) return c.dims.length === 1 ? c.values.map(constElem) : undefined
    const n = this.op(v)
    if (n === undefined) return undefined
    const next = depth + 1
    const input = (i: number): string => n.input[i] ?? ''
    switch (n.opType) {
      case 'Identity':
      case 'Cast':
        return this.elements(input(0), next)
      case 'Shape': {
        const t = input(0)
        const dims = this.dims(t, next)
        if (dims === undefined) return undefined
        const all = dims.map((x, i) => ({ exact: new Set([`${t}#${i}`, ...x.exact]) }))
        const start = intAttribute(n, 'start', 0) ?? 0
        const end = intAttribute(n, 'end', all.length) ?? all.length
        return all.slice(start, end)
      }
      case 'Concat': {
        const parts = n.input.map((p) => this.elements(p, next))
        return parts.every((p) => p !== undefined) ? parts.flat() : undefined
      }
      case 'Unsqueeze': {
        const axes = n.input[1]
          ? this.index.intConstant(input(1))?.values
          : intsAttribute(n, 'axes')
        const s = this.scalar(input(0), next)
        return s !== undefined && axes?.length === 1 && (axes[0] === 0 || axes[0] === -1)
          ? [s]
          : undefined
      }
      case 'Gather': {
        const idx = this.index.intConstant(input(1))
        if (idx?.dims.length !== 1 || intAttribute(n, 'axis', 0) !== 0) return undefined
        const picked = idx.values.map((i) => this.pick(input(0), i, next))
        return picked.every((e) => e !== undefined) ? picked : undefined
      }
      case 'Slice': {
        const data = this.elements(input(0), next)
        const [starts, ends] = [1, 2].map((i) => this.index.intConstant(input(i))?.values)
        const axes = n.input[3] ? this.index.intConstant(input(3))?.values : [0]
        const steps = n.input[4] ? this.index.intConstant(input(4))?.values : [1]
        const [s, e] = [starts?.[0], ends?.[0]]
        if (data === undefined || s === undefined || e === undefined) return undefined
        if (starts?.length !== 1 || axes?.[0] !== 0 || steps?.length !== 1 || steps[0] !== 1)
          return undefined
        return data.slice(Math.max(s, -data.length), Math.min(e, data.length))
      }
      default:
        return undefined
    }
  }

  /**
   * Element i of a 1-D integer tensor. `Shape(t)[i]` with i ≥ 0 is dimension i of t even when
   * t's rank is unknown (typical: t comes out of ops this file does not model).
   */
  private pick(data: string, i: number, depth: number): SymElem | undefined {
    const p = this.op(data)
    if (p?.opType === 'Shape' && p.attribute.length === 0 && i >= 0) {
      const t = p.input[0] ?? ''
      return { exact: new Set([`${t}#${i}`, ...(this.dims(t, depth)?.[i]?.exact ?? [])]) }
    }
    const all = this.elements(data, depth)
    return all?.[i < 0 ? i + all.length : i]
  }

  /** A provably 0-D integer value: a constant, a Gather of one element, or scalar arithmetic. */
  private scalar(v: string, depth: number): SymElem | undefined {
    if (depth > MAX_DEPTH) return undefined
    const c = this.index.intConstant(v)
    if (c !== undefined) return c.dims.length === 0 ? constElem(c.values[0] ?? NaN) : undefined
    const n = this.op(v)
    if (n === undefined) return undefined
    const next = depth + 1
    if (n.opType === 'Identity' || n.opType === 'Cast') return this.scalar(n.input[0] ?? '', next)
    if (n.opType === 'Gather') {
      const idx = this.index.intConstant(n.input[1] ?? '')
      const i = idx?.values[0]
      if (idx?.dims.length !== 0 || i === undefined || intAttribute(n, 'axis', 0) !== 0)
        return undefined
      return this.pick(n.input[0] ?? '', i, next)
    }
    if (['Mul', 'Add', 'Sub', 'Div'].includes(n.opType)) {
      const both = n.input.map((i) => this.scalar(i, next))
      return both.length === 2 && both.every((s) => s !== undefined)
        ? { exact: new Set() }
        : undefined
    }
    return undefined
  }
}

const constElem = (value: number): SymElem => ({ exact: new Set(), value })

/** numpy broadcasting of symbolic shapes: a dimension only one operand has stays exact. */
function broadcast(shapes: readonly (SymDim[] | undefined)[]): SymDim[] | undefined {
  if (shapes.some((s) => s === undefined)) return undefined
  const known = shapes as SymDim[][]
  const rank = Math.max(0, ...known.map((s) => s.length))
  return Array.from({ length: rank }, (_, i) => {
    const here = known
      .map((s) => s[s.length - rank + i])
      .filter((x): x is SymDim => x !== undefined)
    if (here.length === 1 && here[0] !== undefined) return here[0]
    return dim(
      [],
      here.flatMap((x) => [...x.contrib]),
    )
  })
}
