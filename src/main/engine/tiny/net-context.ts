/**
 * What every layer function needs while emitting a model: the graph, the weight stream, and
 * the naming convention of the exporter being imitated. Names follow torch.onnx exactly enough
 * for our graph surgery to meet the same shapes it meets in real models:
 * - 'module-path' (torch ≥ 2.0): node `/down_blocks.1/attentions.0/…/to_k/MatMul`, output
 *   `<node>_output_0`;
 * - 'generic' (older torch): node `MatMul_123`, output `123`.
 * Either way, parameters of Linear layers become anonymous `onnx::MatMul_N` initializers (the
 * transposed weight) while conv and norm parameters keep their module path.
 */
import { TensorProto_DataType } from 'onnx-buf'
import type { Attrs, GraphBuilder } from '../onnx'
import type { SeededWeights } from './seeded-weights'

export type NamingStyle = 'module-path' | 'generic'

/** Module path segments, e.g. ['down_blocks.1', 'attentions.0', 'transformer_blocks.0']. */
export type Scope = readonly string[]

export function at(scope: Scope, ...segments: string[]): Scope {
  return [...scope, ...segments]
}

/** `down_blocks.1.attentions.0`: the dotted path diffusers and state dicts use. */
export function dotted(scope: Scope): string {
  return scope.join('.')
}

/**
 * Where parameter values come from: called for every float parameter as it is emitted, with
 * its state-dict path as `key` (`conv_in.weight`, `…attn2.to_k.weight`; a MatMul weight keeps
 * the ONNX [in, out] layout), its graph value name, its dims and what the seeded stream drew
 * for it. Returns the values to store, or 'input' to make the parameter a graph input of that
 * name (a training graph). Without a hook every parameter is the seeded draw.
 */
export type ParamHook = (p: {
  key: string
  value: string
  dims: readonly number[]
  seeded: Float32Array
}) => Float32Array | 'input'

export interface EmittedNode {
  node: string
  outputs: string[]
}

export class NetContext {
  private readonly constants = new Map<string, string>()

  constructor(
    readonly g: GraphBuilder,
    readonly rng: SeededWeights,
    readonly naming: NamingStyle,
    private readonly paramHook?: ParamHook,
  ) {}

  /** Emits a node named after `scope`; returns its name and outputs. */
  emit(
    scope: Scope,
    opType: string,
    inputs: readonly string[],
    attrs: Attrs = {},
    outputs: number | readonly string[] = 1,
  ): EmittedNode {
    if (this.naming === 'generic') {
      const name = this.g.uniqueNodeName(`${opType}_${this.g.nextId()}`)
      const names =
        typeof outputs === 'number'
          ? Array.from({ length: outputs }, () => this.g.uniqueValueName(String(this.g.nextId())))
          : outputs
      return { node: name, outputs: this.g.node(opType, inputs, { name, attrs, outputs: names }) }
    }
    const base = scope.length === 0 ? `/${opType}` : `/${scope.join('/')}/${opType}`
    const name = this.g.uniqueNodeName(base)
    return { node: name, outputs: this.g.node(opType, inputs, { name, attrs, outputs }) }
  }

  /** A single-output node; `output` names the value (for graph outputs). */
  op(
    scope: Scope,
    opType: string,
    inputs: readonly string[],
    attrs: Attrs = {},
    output?: string,
  ): string {
    const { outputs } = this.emit(scope, opType, inputs, attrs, output === undefined ? 1 : [output])
    const [out] = outputs
    if (out === undefined) throw new Error(`${opType} produced no output`)
    return out
  }

  /** A named float parameter, `${module path}.${leaf}` (e.g. `conv_in.weight`). */
  param(scope: Scope, leaf: string, dims: readonly number[], values: Float32Array): string {
    const name = `${dotted(scope)}.${leaf}`
    return this.place(name, name, dims, values)
  }

  /**
   * A Linear layer's weight as exporters store it for MatMul: transposed to [in, out] under an
   * auto-generated name, so tools must find it by graph structure, not by name.
   */
  matmulWeight(inFeatures: number, outFeatures: number, gain = 1, scope: Scope = []): string {
    const values = this.rng.fanIn(inFeatures * outFeatures, inFeatures, gain)
    const name = this.g.uniqueValueName(`onnx::MatMul_${this.g.nextId()}`)
    return this.place(`${dotted(scope)}.weight`, name, [inFeatures, outFeatures], values)
  }

  private place(key: string, name: string, dims: readonly number[], seeded: Float32Array): string {
    const values = this.paramHook?.({ key, value: name, dims, seeded }) ?? seeded
    if (values === 'input') return this.g.input(name, 'float32', dims)
    return this.g.initializer(values, dims, { name })
  }

  /** An int64 constant (shapes, axes, indices), shared between uses. `dims` [] = scalar. */
  i64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `i64:${dims.join('x')}:${values.join(',')}`
    return this.cached(key, () =>
      this.g.initializer(
        BigInt64Array.from(values, (v) => BigInt(v)),
        dims,
        {
          name: this.constName(),
          dataType: TensorProto_DataType.INT64,
        },
      ),
    )
  }

  /** A float32 constant shared between uses; `dims` [] = scalar. */
  f32(values: readonly number[], dims: readonly number[] = []): string {
    const key = `f32:${dims.join('x')}:${values.join(',')}`
    return this.cached(key, () =>
      this.g.initializer(Float32Array.from(values), dims, { name: this.constName() }),
    )
  }

  private constName(): string {
    return this.g.uniqueValueName(`onnx::Constant_${this.g.nextId()}`)
  }

  private cached(key: string, make: () => string): string {
    const hit = this.constants.get(key)
    if (hit !== undefined) return hit
    const name = make()
    this.constants.set(key, name)
    return name
  }
}
