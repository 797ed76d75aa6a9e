/**
 * `npm run eval:shapeworld` end to end on an untrained ShapeWorld export: the script draws two
 * images per caption kind with the studio's txt2img, judges them, and reports per kind. The
 * accuracies of an untrained model mean nothing; the report's shape, its sums and the grid do.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AccuracyReport } from '../../../src/main/engine/eval/caption-accuracy'
import {
  ACCURACY_TARGETS,
  CAPTION_KINDS,
  formatAccuracyReport,
} from '../../../src/main/engine/eval/caption-accuracy'
import { ASSOCIATIONS } from '../../../src/main/engine/shapeworld/captions'
import { writeUntrainedShapeWorld } from '../../helpers/shapeworld-model'
import { tempDir } from '../../helpers/temp-dir'

const run = promisify(execFile)
const tmp = tempDir('shapeworld-accuracy')
const modelDir = path.join(tmp.dir, 'model')
const gridPath = path.join(tmp.dir, 'grid.png')

interface JudgedItem {
  kind: string
  caption: string
  seed: number
  expect: { color: string; shape: string }
  got: { color?: string; shape?: string }
  colorOk: boolean
  shapeOk: boolean
}
type ScriptOutput = Omit<AccuracyReport, 'items'> & { items: JudgedItem[]; seeds: number[] }

let out: ScriptOutput

beforeAll(async () => {
  await writeUntrainedShapeWorld(modelDir)
  const tsx = path.resolve('node_modules/.bin/tsx')
  const args = ['scripts/shapeworld-accuracy.ts', '--model', modelDir, '--count', '2']
  args.push('--steps', '2', '--threads', '1', '--json', '--grid', gridPath)
  const { stdout } = await run(tsx, args, { env: { ...process.env, REALERA_NO_DEMO: '1' } })
  out = JSON.parse(stdout) as ScriptOutput
})
afterAll(() => tmp.cleanup())

describe('npm run eval:shapeworld', () => {
  it('reports colour, shape and both per caption kind, consistent with its judgements', () => {
    expect(out.evaluator).toBe('shapeworld-pixels')
    expect(out.seeds).toEqual([100, 101])
    expect(out.kinds.map((k) => k.kind)).toEqual([...CAPTION_KINDS])
    expect(out.items).toHaveLength(6)
    for (const k of out.kinds) {
      const of = out.items.filter((it) => it.kind === k.kind)
      expect(of.map((it) => it.seed)).toEqual([100, 101])
      expect(k.images).toBe(2)
      expect(k.color).toBe(of.filter((it) => it.got.color === it.expect.color).length / 2)
      expect(k.shape).toBe(of.filter((it) => it.got.shape === it.expect.shape).length / 2)
      expect(k.both).toBe(of.filter((it) => it.colorOk && it.shapeOk).length / 2)
      expect(k.target).toBe(ACCURACY_TARGETS[k.kind])
      expect(k.meetsTarget).toBe(k.both >= k.target)
    }
  })

  it('asks in plain words, in synonyms and through associated phrases', () => {
    const caption = (kind: string, i: number): JudgedItem =>
      out.items.filter((it) => it.kind === kind)[i]!
    for (const i of [0, 1]) {
      const plain = caption('plain', i)
      expect(plain.caption).toContain(`${plain.expect.color} ${plain.expect.shape}`)
      const synonym = caption('synonym', i)
      expect(synonym.caption).not.toContain(`${synonym.expect.color} ${synonym.expect.shape}`)
      const associated = caption('associated', i)
      const phrase = ASSOCIATIONS.find((a) => associated.caption.includes(a.phrase))
      expect(phrase).toMatchObject(associated.expect)
    }
  })

  it('prints the report as a table against the targets, and writes the grid', () => {
    const table = formatAccuracyReport({ ...out, items: [] }).split('\n')
    expect(table[0]).toMatch(/^captions\s+images\s+colour\s+shape\s+both\s+target$/)
    expect(table.slice(2, 5).map((l) => l.split(/\s{2,}/)[0])).toEqual([...CAPTION_KINDS])
    expect(table[2]).toMatch(
      /^plain\s+2\s+\d+\.\d %\s+\d+\.\d %\s+\d+\.\d %\s+≥ 90\.0 %\s+(met|MISSED)$/,
    )
    const grid = PNG.sync.read(readFileSync(gridPath))
    // 3 rows (kinds) × 2 columns of 64 px images at 2×, each with a 2 px frame, 4 px apart.
    expect([grid.width, grid.height]).toEqual([2 * 132 + 4, 3 * 132 + 2 * 4])
  })
})
