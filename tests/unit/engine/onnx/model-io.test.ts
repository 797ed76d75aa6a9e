import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { create, isFieldSet } from '@bufbuild/protobuf'
import { ModelProtoSchema, TensorProtoSchema, TensorProto_DataType } from 'onnx-buf'
import type { ModelProto } from 'onnx-buf'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  GraphBuilder,
  OnnxFileError,
  attr,
  decodeModel,
  encodeModel,
  findInitializer,
  float32ToFloat16Bits,
  isExternal,
  readInitializer,
  readModel,
  setInitializer,
  writeModel,
} from '../../../../src/main/engine/onnx'
import type { WriteModelOptions } from '../../../../src/main/engine/onnx'
import { setExternalRef } from '../../../../src/main/engine/onnx/external-data'

// y = (x·W + b + mean₀(half) + i32) · d64 and picked = y[:, idx], one initializer of each type.
const W = Float32Array.from({ length: 64 * 64 }, (_, i) => Math.sin(i) / 8) // 16 KiB: external
const B = Float32Array.from({ length: 64 }, (_, i) => i / 64)
const HALF_VALUES = Float32Array.from({ length: 16 * 64 }, (_, i) => Math.cos(i) * 2) // 2 KiB
const HALF = float32ToFloat16Bits(HALF_VALUES)
const D64 = Float64Array.from({ length: 64 }, (_, i) => 1 + i / 128)
const I32 = Int32Array.from({ length: 64 }, (_, i) => i - 32)
const IDX = BigInt64Array.from([0n, 5n, 10n, 63n])

function sampleModel(): ModelProto {
  const g = new GraphBuilder({ producerName: 'model-io-test' })
  const x = g.input('x', 'float32', ['batch', 64])
  const w = g.initializer(W.slice(), [64, 64], { name: 'onnx::MatMul_7' })
  const b = g.initializer(B.slice(), [64], { name: 'bias' })
  const h = g.initializer(HALF.slice(), [16, 64], { name: 'half' })
  const d = g.initializer(D64.slice(), [64], { name: 'double' })
  const i = g.initializer(I32.slice(), [64], { name: 'int32' })
  const idx = g.initializer(IDX.slice(), [4], { name: 'idx' })
  const float = { to: attr.int(TensorProto_DataType.FLOAT) }
  let y = g.op('Add', [b, g.op('MatMul', [x, w])])
  const halfMean = g.op('ReduceMean', [g.op('Cast', [h], { attrs: float })], {
    attrs: { axes: attr.ints([0]), keepdims: attr.int(0) },
  })
  y = g.op('Add', [g.op('Add', [y, halfMean]), g.op('Cast', [i], { attrs: float })])
  g.op('Mul', [y, g.op('Cast', [d], { attrs: float })], { output: 'y' })
  g.op('Gather', ['y', idx], { attrs: { axis: attr.int(1) }, output: 'picked' })
  g.output('y', 'float32', ['batch', 64])
  g.output('picked', 'float32', ['batch', 4])
  return g.build()
}

const X = Float32Array.from({ length: 2 * 64 }, (_, i) => Math.sin(i * 0.37))

function reference(w: Float32Array = W): Float32Array {
  const out = new Float32Array(2 * 64)
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 64; c++) {
      let acc = 0
      for (let k = 0; k < 64; k++) acc += (X[r * 64 + k] ?? 0) * (w[k * 64 + c] ?? 0)
      let halfMean = 0
      for (let k = 0; k < 16; k++) halfMean += Math.fround(HALF_VALUES[k * 64 + c] ?? 0)
      halfMean /= 16
      out[r * 64 + c] = (acc + (B[c] ?? 0) + halfMean + (I32[c] ?? 0)) * (D64[c] ?? 0)
    }
  }
  return out
}

async function run(file: string): Promise<{ y: Float32Array; picked: Float32Array }> {
  const session = await ort.InferenceSession.create(file)
  try {
    const out = await session.run({ x: new ort.Tensor('float32', X, [2, 64]) })
    return { y: out.y?.data as Float32Array, picked: out.picked?.data as Float32Array }
  } finally {
    await session.release()
  }
}

function expectClose(actual: Float32Array, expected: Float32Array, tol = 2e-3): void {
  expect(actual.length).toBe(expected.length)
  let worst = 0
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs((actual[i] ?? NaN) - (expected[i] ?? NaN)))
  }
  expect(worst).toBeLessThan(tol)
}

let root = ''
let count = 0
/** A new empty folder `<root>/<n>/<label>`, so error messages show `label/model.onnx`. */
const newDir = (label = 'model'): string => {
  const dir = path.join(root, String(count++), label)
  mkdirSync(dir, { recursive: true })
  return dir
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'realera-model-io-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

async function writeTo(model: ModelProto, options: WriteModelOptions = {}): Promise<string> {
  const file = path.join(newDir(), 'model.onnx')
  await writeModel(model, file, options)
  return file
}

describe('writeModel / readModel', () => {
  it('round-trips an inline model byte for byte and runs in ORT', async () => {
    const file = await writeTo(sampleModel())
    const bytes = readFileSync(file)
    expect(Buffer.from(encodeModel(decodeModel(bytes)))).toEqual(bytes)

    const again = await writeTo(await readModel(file))
    expect(readFileSync(again)).toEqual(bytes)
    const { y, picked } = await run(file)
    expectClose(y, reference())
    expect(Array.from(picked)).toEqual([0, 5, 10, 63, 64, 69, 74, 127].map((i) => y[i]))
  })

  for (const fileName of ['weights.pb', 'model.onnx_data']) {
    it(`writes, reads and re-writes external data in ${fileName} byte for byte`, async () => {
      const file = await writeTo(sampleModel(), { externalData: { fileName, minBytes: 1024 } })
      const dir = path.dirname(file)
      expect(readdirSync(dir).sort()).toEqual([fileName, 'model.onnx'].sort())
      const bytes = readFileSync(file)
      expect(Buffer.from(encodeModel(decodeModel(bytes)))).toEqual(bytes)

      const model = await readModel(file)
      const external = model.graph?.initializer.filter(isExternal).map((t) => t.name)
      expect(external).toEqual(['onnx::MatMul_7', 'half']) // 16 KiB and 2 KiB; the rest < 1 KiB
      for (const t of model.graph?.initializer.filter(isExternal) ?? []) {
        // onnx's checker rejects external tensors that also carry a data field
        expect(isFieldSet(t, TensorProtoSchema.field.rawData)).toBe(false)
        expect(t.externalData.map((e) => e.key)).toEqual(['location', 'offset', 'length'])
      }
      expect(readFileSync(path.join(dir, fileName)).byteLength).toBe(W.byteLength + HALF.byteLength)

      const copy = await writeTo(model, {
        externalData: { fileName, minBytes: 1024 },
        sourceDir: dir,
      })
      expect(readFileSync(copy)).toEqual(bytes)
      expect(readFileSync(path.join(path.dirname(copy), fileName))).toEqual(
        readFileSync(path.join(dir, fileName)),
      )
      expectClose((await run(file)).y, reference())
    })
  }

  it('moves tensors between layouts, reading external data from the source folder', async () => {
    const first = await writeTo(sampleModel(), { externalData: { fileName: 'weights.pb' } })
    const sourceDir = path.dirname(first)
    const model = await readModel(first)
    const optimum = await writeTo(model, {
      externalData: { fileName: 'model.onnx_data' },
      sourceDir,
    })
    const inline = await writeTo(model, { sourceDir })
    expect(readdirSync(path.dirname(inline))).toEqual(['model.onnx'])
    expect((await readModel(inline)).graph?.initializer.some(isExternal)).toBe(false)
    for (const file of [optimum, inline]) expectClose((await run(file)).y, reference())
    // The source model is untouched: its tensors still point at weights.pb.
    expect(model.graph?.initializer.filter(isExternal)).toHaveLength(2)
  })

  it('loads all external data on request, after which the model needs no source folder', async () => {
    const file = await writeTo(sampleModel(), { externalData: { fileName: 'model.onnx_data' } })
    const lazy = await readModel(file)
    const eager = await readModel(file, { loadExternalData: true })
    expect(lazy.graph?.initializer.filter(isExternal)).toHaveLength(2)
    expect(eager.graph?.initializer.some(isExternal)).toBe(false)
    const half = findInitializer(eager, 'half')
    expect(half?.rawData.byteLength).toBe(HALF.byteLength)
    rmSync(path.dirname(file), { recursive: true })
    const copy = await writeTo(eager)
    expectClose((await run(copy)).y, reference())
  })

  it('overwrites a model in place from its own side file, leaving no temp files', async () => {
    const file = await writeTo(sampleModel(), { externalData: { fileName: 'weights.pb' } })
    const model = await readModel(file)
    setInitializer(model, 'bias', { dims: [64], data: new Float32Array(64) })
    await writeModel(model, file, { externalData: { fileName: 'weights.pb' } })
    expect(readdirSync(path.dirname(file)).sort()).toEqual(['model.onnx', 'weights.pb'])
    const bias = await readInitializer(await readModel(file), 'bias', path.dirname(file))
    expect(bias.data).toEqual(new Float32Array(64))
  })

  it('refuses to write more than 2 GiB inline, before reading anything', async () => {
    const dir = path.dirname(await writeTo(sampleModel()))
    const big = 2 ** 29 + 1 // float32 elements: 2 GiB + 4 bytes
    writeFileSync(path.join(dir, 'big.bin'), '')
    truncateSync(path.join(dir, 'big.bin'), big * 4) // sparse: no disk used
    const g = new GraphBuilder()
    g.input('x', 'float32', [1])
    g.initializer(new Float32Array(1), [1], { name: 'w' })
    const model = g.build()
    const w = findInitializer(model, 'w')
    if (w === undefined) throw new Error('no w')
    w.dims = [BigInt(big)]
    setExternalRef(w, 'big.bin', 0, big * 4)
    const target = path.join(dir, 'inline.onnx')
    const error = await writeModel(model, target, { sourceDir: dir }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OnnxFileError)
    expect((error as OnnxFileError).code).toBe('too-large')
    expect(readdirSync(dir).sort()).toEqual(['big.bin', 'model.onnx'])
  })
})

describe('readInitializer / setInitializer', () => {
  it('returns each element type as its typed array, inline and external', async () => {
    for (const options of [{}, { externalData: { fileName: 'weights.pb', minBytes: 1024 } }]) {
      const file = await writeTo(sampleModel(), options)
      const model = await readModel(file)
      const read = (name: string) => readInitializer(model, name, path.dirname(file))
      const w = await read('onnx::MatMul_7')
      expect(w.dims).toEqual([64, 64])
      expect(w.dataType).toBe(TensorProto_DataType.FLOAT)
      expect(w.data).toEqual(W)
      const half = await read('half')
      expect(half.dataType).toBe(TensorProto_DataType.FLOAT16)
      expect(half.data).toEqual(HALF)
      expect((await read('double')).data).toEqual(D64)
      expect((await read('int32')).data).toEqual(I32)
      expect((await read('idx')).data).toEqual(IDX)
    }
  })

  it('reads the typed repeated fields (float_data, int64_data, int32_data, double_data)', async () => {
    const model = sampleModel()
    const graph = model.graph
    if (graph === undefined) throw new Error('no graph')
    graph.initializer.push(
      create(TensorProtoSchema, { name: 'f', dims: [2n], dataType: 1, floatData: [1.5, -2] }),
      create(TensorProtoSchema, { name: 'l', dims: [2n], dataType: 7, int64Data: [3n, -4n] }),
      create(TensorProtoSchema, { name: 'h', dims: [1n], dataType: 10, int32Data: [0x3c00] }),
      create(TensorProtoSchema, { name: 'd', dims: [1n], dataType: 11, doubleData: [0.1] }),
    )
    const file = await writeTo(model, { externalData: { fileName: 'weights.pb', minBytes: 1 } })
    for (const [m, dir] of [
      [model, ''],
      [await readModel(file), path.dirname(file)],
    ] as const) {
      expect((await readInitializer(m, 'f', dir)).data).toEqual(Float32Array.from([1.5, -2]))
      expect((await readInitializer(m, 'l', dir)).data).toEqual(BigInt64Array.from([3n, -4n]))
      expect((await readInitializer(m, 'h', dir)).data).toEqual(Uint16Array.from([0x3c00]))
      expect((await readInitializer(m, 'd', dir)).data).toEqual(Float64Array.from([0.1]))
    }
  })

  it('replaces weights, external ones included, and ORT sees the new values', async () => {
    const file = await writeTo(sampleModel(), { externalData: { fileName: 'model.onnx_data' } })
    const model = await readModel(file)
    const doubled = W.map((v) => v * 2)
    setInitializer(model, 'onnx::MatMul_7', { dims: [64, 64], data: doubled })
    expect(isExternal(findInitializer(model, 'onnx::MatMul_7') ?? create(TensorProtoSchema))).toBe(
      false,
    )
    const out = await writeTo(model, {
      externalData: { fileName: 'model.onnx_data' },
      sourceDir: path.dirname(file),
    })
    const reread = await readModel(out)
    expect(isExternal(findInitializer(reread, 'onnx::MatMul_7') ?? create(TensorProtoSchema))).toBe(
      true,
    )
    expectClose((await run(out)).y, reference(doubled))
  })

  it('names a missing initializer', async () => {
    await expect(readInitializer(sampleModel(), 'nope', root)).rejects.toThrow(/nope/)
  })
})

describe('errors that name the file', () => {
  const advice = /re-export the model or check the download/

  it('rejects a truncated file', async () => {
    const file = await writeTo(sampleModel())
    const bytes = readFileSync(file)
    const cut = path.join(newDir('unet'), 'model.onnx')
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.byteLength / 2)))
    const error = await readModel(cut).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OnnxFileError)
    expect((error as OnnxFileError).code).toBe('invalid')
    expect((error as Error).message).toMatch(/^unet\/model\.onnx is not a valid ONNX file \(.+\); /)
    expect((error as Error).message).toMatch(advice)
  })

  it('rejects a file cut cleanly at a field boundary', async () => {
    const model = sampleModel()
    const full = encodeModel(model)
    const withoutOpsets = encodeModel(create(ModelProtoSchema, { ...model, opsetImport: [] }))
    expect(Buffer.from(full.subarray(0, withoutOpsets.byteLength))).toEqual(
      Buffer.from(withoutOpsets),
    )
    const file = path.join(newDir('unet'), 'model.onnx')
    writeFileSync(file, withoutOpsets)
    await expect(readModel(file)).rejects.toThrow(/no opset import/)
  })

  it('reports a missing file and missing or short external data', async () => {
    const missing = await readModel(path.join(root, 'nowhere', 'model.onnx')).catch(
      (e: unknown) => e,
    )
    expect((missing as OnnxFileError).code).toBe('missing')
    expect((missing as Error).message).toMatch(/^nowhere\/model\.onnx was not found/)

    const file = await writeTo(sampleModel(), { externalData: { fileName: 'model.onnx_data' } })
    const data = path.join(path.dirname(file), 'model.onnx_data')
    truncateSync(data, 100)
    await expect(readModel(file)).rejects.toThrow(/model\.onnx_data is truncated \(100 of /)
    rmSync(data)
    const error = await readModel(file).catch((e: unknown) => e)
    expect((error as OnnxFileError).code).toBe('external-data')
    expect((error as Error).message).toMatch(/model\.onnx_data is missing/)
    expect((error as Error).message).toMatch(advice)
  })

  it('rejects bytes that are not protobuf at all', () => {
    expect(() =>
      decodeModel(Uint8Array.from([0xff, 0xff, 0xff, 0xff]), '/a/vae/model.onnx'),
    ).toThrow(/^vae\/model\.onnx is not a valid ONNX file/)
  })
})
