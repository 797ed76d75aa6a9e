/**
 * Element types between ONNX Runtime tensors, ONNX data types and the autodiff's `ElemType`,
 * and fixed-shape value declarations for the inputs and outputs the builder adds.
 */
import { create } from '@bufbuild/protobuf'
import {
  TensorProto_DataType,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf'
import type { ValueInfoProto } from 'onnx-buf'
import type * as ort from 'onnxruntime-node'
import type { ElemType, ValueInfo } from './types'

const ORT_TYPES: Readonly<Partial<Record<string, ElemType>>> = {
  float32: 'float32',
  float64: 'float64',
  float16: 'float16',
  int64: 'int64',
  int32: 'int32',
  bool: 'bool',
}

export function elemTypeOf(type: ort.Tensor.Type): ElemType {
  return ORT_TYPES[type] ?? 'other'
}

const ONNX_TYPES: ReadonlyMap<number, ElemType> = new Map([
  [TensorProto_DataType.FLOAT, 'float32'],
  [TensorProto_DataType.DOUBLE, 'float64'],
  [TensorProto_DataType.FLOAT16, 'float16'],
  [TensorProto_DataType.INT64, 'int64'],
  [TensorProto_DataType.INT32, 'int32'],
  [TensorProto_DataType.BOOL, 'bool'],
])

export function elemTypeOfOnnx(dataType: number): ElemType {
  return ONNX_TYPES.get(dataType) ?? 'other'
}

const TO_ONNX: Readonly<Record<Exclude<ElemType, 'other'>, TensorProto_DataType>> = {
  float32: TensorProto_DataType.FLOAT,
  float64: TensorProto_DataType.DOUBLE,
  float16: TensorProto_DataType.FLOAT16,
  int64: TensorProto_DataType.INT64,
  int32: TensorProto_DataType.INT32,
  bool: TensorProto_DataType.BOOL,
}

export function onnxTypeOf(type: ElemType): TensorProto_DataType {
  if (type === 'other') throw new Error('no ONNX data type for an unsupported element type')
  return TO_ONNX[type]
}

/** A graph input/output declaration with a fixed shape. */
export function staticValueInfo(name: string, info: ValueInfo): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType: onnxTypeOf(info.type),
          shape: create(TensorShapeProtoSchema, {
            dim: info.shape.map((d) =>
              create(TensorShapeProto_DimensionSchema, {
                value: { case: 'dimValue', value: BigInt(d) },
              }),
            ),
          }),
        }),
      },
    }),
  })
}
