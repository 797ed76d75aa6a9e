import { clone, create } from '@bufbuild/protobuf'
import {
  ModelProtoSchema,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf'
import type { ModelProto } from 'onnx-buf'
import type { KvProjection } from './kv-discovery'

/**
 * A copy of the U-Net whose K/V weights are graph inputs instead of stored initializers (same
 * names, dtypes and shapes), so one session runs the original weights and any edited ones:
 * feed the original matrices to reproduce the untouched graph, or edited ones for an experiment.
 * External-data references of the other initializers are kept as they are, so the copy must be
 * saved where those relative paths still resolve (see `writeKvInputsModel`).
 */
export function kvAsInputs(model: ModelProto, projections: readonly KvProjection[]): ModelProto {
  const out = clone(ModelProtoSchema, model)
  const graph = out.graph
  if (!graph) throw new Error('model has no graph')
  const names = new Set(projections.map((p) => p.initializer))
  const moved = graph.initializer.filter((t) => names.has(t.name))
  if (moved.length !== names.size)
    throw new Error('some K/V initializers are missing from the graph')
  graph.initializer = graph.initializer.filter((t) => !names.has(t.name))
  for (const t of moved) {
    graph.input.push(
      create(ValueInfoProtoSchema, {
        name: t.name,
        type: create(TypeProtoSchema, {
          value: {
            case: 'tensorType',
            value: create(TypeProto_TensorSchema, {
              elemType: t.dataType,
              shape: create(TensorShapeProtoSchema, {
                dim: t.dims.map((d) =>
                  create(TensorShapeProto_DimensionSchema, {
                    value: { case: 'dimValue', value: d },
                  }),
                ),
              }),
            }),
          },
        }),
      }),
    )
  }
  return out
}
