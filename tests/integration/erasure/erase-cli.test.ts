import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import type { Experiment, GalleryImage } from '../../../src/shared/contract'
import { decodeSafeTensors } from '../../../src/main/engine/export/safetensors'
import { decodePng } from '../../../src/main/engine/sd/png'
import { tempDir } from '../../helpers/temp-dir'
import { tinyModelFactory } from '../../helpers/tiny-models'

const run = promisify(execFile)
const tmp = tempDir('erase-cli')
const tiny = tinyModelFactory(tmp.dir)
afterAll(() => tmp.cleanup())

async function cli(args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', ...args, '--json'], {
    env: { ...process.env, REALERA_DATA_DIR: path.join(tmp.dir, 'data'), REALERA_PROJECTS_DIR: path.join(tmp.dir, 'projects') },
    maxBuffer: 64 * 1024 * 1024,
  })
  return JSON.parse(stdout) as unknown
}

/** Mean absolute difference of two PNGs' RGB values, in 0–255 levels. */
function pixelDiff(a: string, b: string): number {
  const x = decodePng(readFileSync(a)).rgba
  const y = decodePng(readFileSync(b)).rgba
  let s = 0
  let n = 0
  for (let i = 0; i < x.length; i++) {
    if (i % 4 === 3) continue
    s += Math.abs(x[i]! - y[i]!)
    n++
  }
  return s / n
}

describe('realera erase on a generated tiny model', () => {
  it('records the experiment, its points, edit artifact and before/after gallery', async () => {
    const { dir } = await tiny('sd1')
    const project = path.join(tmp.dir, 'projects', 'Erasure test')
    const out = (await cli([
      'erase', '--model', dir, '--project', project,
      '--concept', 'van gogh', '--anchor', 'art', '--template', 'a painting in the style of {}',
      '--preserve', 'a red circle', '--preserve', 'a photo of a dog', '--probe', 'starry night',
      '--variant', 'mining-beyond', '--m', '8', '--n', '8', '--seed', '3',
      '--lambda1', '10',
      '--gallery-seeds', '1,2', '--gallery-steps', '6', '--size', '64',
    ])) as { experiment: Experiment; gallery: (GalleryImage & { file: string })[] }
    const exp = out.experiment
    expect(exp.status).toBe('succeeded')
    expect(exp.pointCounts).toEqual({ erasure: 1, anchor: 1, neighbor: 8, 'anchor-tolerance': 8, beyond: 8, preserved: 2, probe: 1 })
    expect(exp.params).toMatchObject({ variant: 'mining-beyond', m: 8, n: 8, seed: 3, lambda1: 10, s1: 0.99, s2: 0.8 })

    // SQLite: the row, every point with its distance/cosine and 2-D position, the gallery links.
    const db = new Database(path.join(project, 'realera.sqlite'), { readonly: true })
    try {
      const row = db.prepare('SELECT status, params, artifact_path FROM experiments WHERE id = ?').get(exp.id) as { status: string; params: string; artifact_path: string }
      expect(row.status).toBe('succeeded')
      expect(JSON.parse(row.params)).toEqual(exp.params)
      const pts = db.prepare('SELECT kind, distance, cosine, x, y, length(vector) AS bytes FROM points WHERE experiment_id = ?').all(exp.id) as { kind: string; distance: number; cosine: number; x: number; y: number; bytes: number }[]
      expect(pts).toHaveLength(29)
      for (const p of pts) {
        expect(p.bytes).toBe(32 * 4)
        expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true)
        if (p.kind === 'neighbor') expect(p.cosine).toBeGreaterThanOrEqual(0.8)
        if (p.kind === 'beyond') expect(p.cosine).toBeLessThan(0.8)
      }
      expect((db.prepare('SELECT COUNT(*) AS n FROM gallery WHERE experiment_id = ?').get(exp.id) as { n: number }).n).toBe(16)
    } finally {
      db.close()
    }

    // The edit artifact: T [32, 32] and one delta per K/V matrix.
    const artifact = decodeSafeTensors(readFileSync(path.join(project, exp.artifactPath!)))
    expect(artifact.tensors.get('T')?.shape).toEqual([32, 32])
    expect([...artifact.tensors.keys()].filter((k) => k.endsWith('.delta'))).toHaveLength(12)
    expect(artifact.metadata.experiment_id).toBe(exp.id)

    for (const g of out.gallery) expect(existsSync(g.file)).toBe(true)
  })

  it('then generation: the erased prompt changes, preserved prompts stay within a small tolerance', async () => {
    const { dir } = await tiny('sd1')
    // Closed form with λ1 = 10: in a random 32-wide text encoder every prompt sits close to every
    // other, and 32 dimensions leave little room for an edit that touches one prompt only (16
    // random neighbor directions already span half the space), so this check uses the variant
    // and weight where the effect is measurable. ShapeWorld (a trained model) shows the real one.
    const out = (await cli([
      'erase', '--model', dir, '--project', path.join(tmp.dir, 'projects', 'Pixels'),
      '--concept', 'van gogh', '--anchor', 'art', '--template', 'a painting in the style of {}',
      '--preserve', 'a red circle', '--preserve', 'a photo of a dog',
      '--variant', 'closed-form', '--lambda1', '10', '--gallery-seeds', '1,2', '--gallery-steps', '6', '--size', '64',
    ])) as { experiment: Experiment; gallery: (GalleryImage & { file: string })[] }
    expect(out.experiment.status).toBe('succeeded')
    const pairs = new Map<string, { original?: string; erased?: string; group: string }>()
    for (const g of out.gallery) {
      expect(existsSync(g.file)).toBe(true)
      const key = `${g.prompt}|${g.seed}`
      const entry = pairs.get(key) ?? { group: g.group }
      entry[g.role] = g.file
      pairs.set(key, entry)
    }
    const diffs = { erasure: [] as number[], preserved: [] as number[] }
    for (const p of pairs.values()) {
      if (p.group === 'erasure' || p.group === 'preserved') diffs[p.group].push(pixelDiff(p.original!, p.erased!))
    }
    // Measured: erased ≈ 2.9–3.0 levels of 255, preserved ≈ 1.0 level.
    for (const d of diffs.erasure) expect(d).toBeGreaterThan(2)
    for (const d of diffs.preserved) expect(d).toBeLessThan(1.5)
    expect(Math.min(...diffs.erasure)).toBeGreaterThan(2 * Math.max(...diffs.preserved))
  })

  it('rejects impossible parameters before any work, naming the parameter', async () => {
    const { dir } = await tiny('sd1')
    const bad = [
      [['--s1', '0.5', '--s2', '0.9'], /s2: S2 \(0.9\) must not exceed S1/],
      [['--d1', '2', '--d2', '1'], /d2: D2 \(1\) must be larger than D1/],
      [['--m', '0'], /m: M must be at least 1/],
      [['--anchor', 'Van Gogh'], /anchor: The anchor must differ from the concept/],
    ] as const
    for (const [args, message] of bad) {
      const res = run(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', 'erase', '--model', dir, '--concept', 'van gogh', ...args], {
        env: { ...process.env, REALERA_DATA_DIR: path.join(tmp.dir, 'data2'), REALERA_PROJECTS_DIR: path.join(tmp.dir, 'projects2') },
      })
      await expect(res).rejects.toMatchObject({ stderr: expect.stringMatching(message) as unknown })
    }
    // Nothing was recorded for the rejected runs.
    expect(existsSync(path.join(tmp.dir, 'projects2', 'CLI experiments', 'experiments'))).toBe(false)
  })

  it('thresholds that reject every sample end with a clear error, not a hang', async () => {
    const { dir } = await tiny('sd1')
    const res = run(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', 'erase', '--model', dir, '--concept', 'van gogh', '--s1', '0.3', '--s2', '0.2', '--maxAttempts', '3000', '--no-gallery'], {
      env: { ...process.env, REALERA_DATA_DIR: path.join(tmp.dir, 'data3'), REALERA_PROJECTS_DIR: path.join(tmp.dir, 'projects3') },
    })
    await expect(res).rejects.toMatchObject({ stderr: expect.stringMatching(/Sampling neighbor points stopped after 3000 draws .*S1 = 0.3 rejected/) as unknown })
  })
})
