/**
 * Node attributes. JavaScript has one number type, so attribute values carry their ONNX kind
 * explicitly (`attr.int(1)` vs `attr.float(1)`) instead of guessing from the value.
 */
import { create } from '@bufbuild/protobuf'
import { AttributeProtoSchema, AttributeProto_AttributeType } from 'onnx-buf'
import type { AttributeProto, NodeProto, TensorProto } from 'onnx-buf'

export type AttrValue =
  | { kind: 'int'; value: number | bigint }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly (number | bigint)[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: TensorProto }

export const attr = {
  int: (value: number | bigint): AttrValue => ({ kind: 'int', value }),
  float: (value: number): AttrValue => ({ kind: 'float', value }),
  ints: (value: readonly (number | bigint)[]): AttrValue => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): AttrValue => ({ kind: 'floats', value }),
  string: (value: string): AttrValue => ({ kind: 'string', value }),
  tensor: (value: TensorProto): AttrValue => ({ kind: 'tensor', value }),
}

export type Attrs = Readonly<Record<string, AttrValue>>

const utf8 = new TextEncoder()

export function makeAttribute(name: string, v: AttrValue): AttributeProto {
  switch (v.kind) {
    case 'int':
      return create(AttributeProtoSchema, {
        name,
        type: AttributeProto_AttributeType.INT,
        i: BigInt(v.value),
      })
    case 'float':
      return create(AttributeProtoSchema, {
        name,
        type: AttributeProto_AttributeType.FLOAT,
        f: v.value,
      })
    case 'ints':
      return create(AttributeProtoSchema, {
        name,
        type: AttributeProto_AttributeType.INTS,
        ints: v.value.map((x) => BigInt(x)),
      })
    case 'floats':
      return create(AttributeProtoSchema, {
        name,
        type: AttributeProto_AttributeType.FLOATS,
        floats: [...v.value],
      })
    case 'string':
      return create(AttributeProtoSchema, {
        name,
        type: AttributeProto_AttributeType.STRING,
        s: utf8.encode(v.value),
      })
    case 'tensor':
      return create(AttributeProtoSchema, {
        name,
        type: AttributeProto_AttributeType.TENSOR,
        t: v.value,
      })
  }
}

/** Reads an INT attribute, or `fallback` when the node does not set it. */
export function intAttribute(node: NodeProto, name: string, fallback?: number): number | undefined {
  const a = node.attribute.find((x) => x.name === name)
  if (a === undefined) return fallback
  if (a.type !== AttributeProto_AttributeType.INT) {
    throw new Error(`attribute ${name} of node ${node.name || node.opType} is not an int`)
  }
  return Number(a.i)
}

/** Reads an INTS attribute, or `fallback` when the node does not set it. */
export function intsAttribute(
  node: NodeProto,
  name: string,
  fallback?: number[],
): number[] | undefined {
  const a = node.attribute.find((x) => x.name === name)
  if (a === undefined) return fallback
  if (a.type !== AttributeProto_AttributeType.INTS) {
    throw new Error(`attribute ${name} of node ${node.name || node.opType} is not a list of ints`)
  }
  return a.ints.map((x) => Number(x))
}
