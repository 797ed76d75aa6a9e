import { describe, expect, it } from 'vitest'
import { decodeSafeTensors, encodeSafeTensors, fromFloat32Array, toFloat32Array } from '../../../../src/main/engine/export/safetensors'
import { createNoiseSource } from '../../../../src/main/engine/sd/noise'

const sample = (): Uint8Array =>
  encodeSafeTensors(
    new Map([
      ['a', fromFloat32Array([1, 2, 3, 4, 5, 6], [2, 3], 'F32')],
      ['b', fromFloat32Array([0.5, -1.25], [2], 'F16')],
      ['c', fromFloat32Array([3.140625], [], 'BF16')],
    ]),
    { note: 'hi' },
  )

function withHeader(json: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = Buffer.from(json)
  const out = new Uint8Array(8 + h.length + data.length)
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true)
  out.set(h, 8)
  out.set(data, 8 + h.length)
  return out
}

describe('safetensors', () => {
  it('round-trips F32, F16, BF16 and metadata; data starts 8-byte aligned', () => {
    const bytes = sample()
    const f = decodeSafeTensors(bytes)
    expect(f.metadata).toEqual({ note: 'hi' })
    expect(Array.from(toFloat32Array(f.tensors.get('a')!))).toEqual([1, 2, 3, 4, 5, 6])
    expect(Array.from(toFloat32Array(f.tensors.get('b')!))).toEqual([0.5, -1.25])
    expect(toFloat32Array(f.tensors.get('c')!)[0]).toBeCloseTo(3.140625, 6)
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true))
    expect((8 + headerLen) % 8).toBe(0)
  })

  it.each([
    ['shorter than its header length', new Uint8Array(4), /shorter than its 8-byte header length/],
    ['a header length beyond the file', (() => { const b = sample(); new DataView(b.buffer).setBigUint64(0, 10n ** 12n, true); return b })(), /header length .* goes beyond the file/],
    ['a non-JSON header', withHeader('{not json'), /header is not JSON/],
    ['a JSON array header', withHeader('[]'), /not a JSON object/],
    ['offsets out of range', withHeader('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', new Uint8Array(4)), /outside the file's 4 data bytes/],
    ['offsets that disagree with the shape', withHeader('{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', new Uint8Array(8)), /holds 8 bytes but its shape needs 12/],
    ['an unknown dtype', withHeader('{"x":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}}', new Uint8Array(1)), /unsupported dtype/],
    ['non-string metadata', withHeader('{"__metadata__":{"a":1}}'), /metadata a is not a string/],
  ])('refuses %s without reading past the file', (_label, bytes, message) => {
    expect(() => decodeSafeTensors(bytes, 'x.safetensors')).toThrow(message)
  })

  it('fuzzed headers and truncations either decode within bounds or throw the format error', () => {
    const rng = createNoiseSource(42)
    const base = sample()
    for (let trial = 0; trial < 2000; trial++) {
      const b = Uint8Array.from(base)
      const edits = 1 + Math.floor(rng.uniform() * 4)
      for (let e = 0; e < edits; e++) b[Math.floor(rng.uniform() * b.length)] = Math.floor(rng.uniform() * 256)
      const cut = rng.uniform() < 0.3 ? b.subarray(0, Math.floor(rng.uniform() * b.length)) : b
      try {
        const f = decodeSafeTensors(cut)
        for (const t of f.tensors.values()) {
          expect(t.data.byteOffset + t.data.byteLength).toBeLessThanOrEqual(cut.byteOffset + cut.byteLength)
        }
      } catch (err) {
        expect((err as Error).name).toBe('SafeTensorsError')
      }
    }
  })
})
