import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readInitializer, readModel } from '../../../../src/main/engine/onnx'
import { writeTinyPipeline } from '../../../../src/main/engine/tiny'
import type { TinyVariant } from '../../../../src/main/engine/tiny'

let root = ''
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'realera-tiny-seed-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const generate = (variant: TinyVariant, seed: number, label: string) =>
  writeTinyPipeline(path.join(root, `${variant}-${label}`), { variant, seed })

describe('tiny pipeline generation', () => {
  // sd1-torch2 and sd1-no-names cover both external data layouts.
  for (const variant of ['sd1', 'sd1-torch2', 'sd1-no-names'] as const) {
    it(`is byte-identical for the same seed (${variant})`, async () => {
      const a = await generate(variant, 7, 'a')
      const b = await generate(variant, 7, 'b')
      expect(b).toEqual(a)
      for (const file of a.files) {
        const left = readFileSync(path.join(root, `${variant}-a`, file))
        const right = readFileSync(path.join(root, `${variant}-b`, file))
        expect(right.equals(left), file).toBe(true)
      }
    })
  }

  it('changes every weight, and only the weights, with the seed', async () => {
    const a = await generate('sd1-torch2', 7, 'seed7')
    const b = await generate('sd1-torch2', 8, 'seed8')
    expect(b.crossAttention).toEqual(a.crossAttention) // same structure and names
    const dirA = path.join(root, 'sd1-torch2-seed7')
    const dirB = path.join(root, 'sd1-torch2-seed8')
    for (const file of a.files) {
      const same = readFileSync(path.join(dirA, file)).equals(readFileSync(path.join(dirB, file)))
      expect(same, file).toBe(!file.endsWith('.onnx') && !file.endsWith('.onnx_data'))
    }
    const unetA = await readModel(path.join(dirA, 'unet/model.onnx'))
    const unetB = await readModel(path.join(dirB, 'unet/model.onnx'))
    const first = a.crossAttention[0]
    if (first === undefined) throw new Error('no K/V')
    const wA = await readInitializer(unetA, first.initializer, path.join(dirA, 'unet'))
    const wB = await readInitializer(unetB, first.initializer, path.join(dirB, 'unet'))
    expect(wA.dims).toEqual(first.shape)
    expect(wA.data).not.toEqual(wB.data)
    // fan-in scaling: std ≈ 1/sqrt(rows)
    const values = Array.from(wA.data as Float32Array)
    const std = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length)
    expect(std).toBeGreaterThan(0.8 / Math.sqrt(first.shape[0]))
    expect(std).toBeLessThan(1.2 / Math.sqrt(first.shape[0]))
  })

  it('refuses a seed that is not an integer', async () => {
    await expect(generate('sd1', 1.5, 'bad')).rejects.toThrow(/integer/)
  })
})
