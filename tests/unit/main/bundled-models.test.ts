import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { bundledShapeWorld, isShapeWorldRef, resolveModelRef } from '../../../src/main/services/bundled-models'
import { resourcesDir } from '../../../src/main/services/presets'
import { tempDir } from '../../helpers/temp-dir'

const tmp = tempDir('bundled-models')
afterAll(() => tmp.cleanup())

describe('the bundled ShapeWorld model', () => {
  it('lives in resources/shapeworld, beside the presets, unless the environment names a folder', () => {
    expect(bundledShapeWorld({}).dir).toBe(path.join(resourcesDir(), 'shapeworld'))
    const empty = path.join(tmp.dir, 'empty')
    mkdirSync(empty)
    expect(bundledShapeWorld({ REALERA_BUNDLED_SHAPEWORLD: empty })).toEqual({ name: 'ShapeWorld', dir: empty, installed: false })
  })

  it('resolves `shapeworld` (any case) to the folder when installed, and leaves paths alone', () => {
    const dir = path.join(tmp.dir, 'model')
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'model_index.json'), '{}')
    const env = { REALERA_BUNDLED_SHAPEWORLD: dir }
    expect(resolveModelRef('shapeworld', env)).toBe(dir)
    expect(resolveModelRef('ShapeWorld', env)).toBe(dir)
    expect(resolveModelRef('./shapeworld', env)).toBe('./shapeworld')
    expect(resolveModelRef('/models/sd15', env)).toBe('/models/sd15')
    expect(isShapeWorldRef('shapeworld')).toBe(true)
    expect(isShapeWorldRef(undefined)).toBe(false)
  })

  it('refuses `shapeworld` with the way to get it when it is not installed', () => {
    const env = { REALERA_BUNDLED_SHAPEWORLD: path.join(tmp.dir, 'nowhere') }
    expect(() => resolveModelRef('shapeworld', env)).toThrow(expect.objectContaining({ code: 'not-found', message: expect.stringContaining('npm run train:shapeworld') as unknown }))
  })
})
