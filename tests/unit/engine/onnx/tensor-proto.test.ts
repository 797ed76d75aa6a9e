import { describe, expect, it } from 'vitest'
import { TensorProto_DataType } from 'onnx-buf'
import {
  float16BitsToFloat32,
  float32ToFloat16Bits,
  makeTensorProto,
  tensorByteLength,
} from '../../../../src/main/engine/onnx'
import { decodeInlineTensor } from '../../../../src/main/engine/onnx/tensor-proto'

describe('float16 conversion', () => {
  it('rounds to the nearest float16, with overflow, subnormals and NaN', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.1, 0x2e66],
      [65504, 0x7bff], // largest finite
      [65520, 0x7c00], // rounds up to infinity
      [1e6, 0x7c00],
      [-Infinity, 0xfc00],
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -14, 0x0400], // smallest normal
      [1 + 2 ** -11, 0x3c00], // tie rounds to even
      [1 + 3 * 2 ** -11, 0x3c02],
    ]
    const bits = float32ToFloat16Bits(cases.map(([v]) => v))
    expect(Array.from(bits)).toEqual(cases.map(([, b]) => b))
    expect(float32ToFloat16Bits([NaN])[0]).toBe(0x7e00)
  })

  it('converts float16 bits back exactly', () => {
    const values = float16BitsToFloat32(Uint16Array.from([0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00]))
    expect(Array.from(values)).toEqual([1, -2, 65504, 2 ** -24, Infinity])
    expect(Number.isNaN(float16BitsToFloat32(Uint16Array.from([0x7e00]))[0])).toBe(true)
    const all = Uint16Array.from({ length: 0x7c00 }, (_, i) => i) // every finite positive half
    expect(float32ToFloat16Bits(float16BitsToFloat32(all))).toEqual(all)
  })
})

describe('makeTensorProto', () => {
  it('stores raw little-endian bytes and reads them back', () => {
    const t = makeTensorProto('w', [2, 2], Float32Array.from([1, 2, 3, 4]))
    expect(t.dataType).toBe(TensorProto_DataType.FLOAT)
    expect(tensorByteLength(t)).toBe(16)
    expect(Array.from(t.rawData.subarray(0, 4))).toEqual([0, 0, 0x80, 0x3f])
    expect(decodeInlineTensor(t)).toEqual(Float32Array.from([1, 2, 3, 4]))
    const half = makeTensorProto('h', [1], Uint16Array.from([0x3c00]))
    expect(half.dataType).toBe(TensorProto_DataType.FLOAT16)
    expect(() =>
      makeTensorProto('x', [1], new Float32Array(1), TensorProto_DataType.INT64),
    ).toThrow(/cannot hold INT64/)
  })
})
