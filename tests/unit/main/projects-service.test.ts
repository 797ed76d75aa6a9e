import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createHandlers, dispatch } from '../../../src/main/host/dispatch'
import type { Services } from '../../../src/main/host/services'
import { createServices } from '../../../src/main/host/services'
import { PROJECT_DB_FILE } from '../../../src/main/services/project-store'
import { tempDir } from '../../helpers/temp-dir'

function setup(): { s: Services; projectsDir: string; cleanup: () => void } {
  const t = tempDir('projects')
  const projectsDir = path.join(t.dir, 'projects')
  const s = createServices(
    { dataDir: path.join(t.dir, 'data'), defaultProjectsDir: projectsDir, demoStepDelayMs: 0, runtime: 'node', version: 'test' },
    () => undefined,
  )
  return { s, projectsDir, cleanup: () => void s.close().then(t.cleanup) }
}

describe('projects (real SQLite in a temp folder)', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => cleanups.splice(0).forEach((c) => c()))

  it('creates a folder with its own database, lists, renames, deletes', async () => {
    const { s, projectsDir, cleanup } = setup()
    cleanups.push(cleanup)
    const p = await s.projects.create({ name: 'Van Gogh erasure' })
    expect(p.dir).toBe(path.join(projectsDir, 'Van Gogh erasure'))
    expect(existsSync(path.join(p.dir, PROJECT_DB_FILE))).toBe(true)
    const meta = s.store.db(p.dir).prepare("SELECT value FROM project_meta WHERE key = 'id'").get() as { value: string }
    expect(meta.value).toBe(p.id)
    expect(s.projects.rename(p.id, 'Style tests').name).toBe('Style tests')
    expect(s.projects.list().map((x) => x.name)).toEqual(['Style tests'])
    expect(await s.projects.delete(p.id, true)).toEqual({ id: p.id, filesDeleted: true })
    expect(existsSync(p.dir)).toBe(false)
    expect(s.projects.list()).toEqual([])
  })

  it('refuses a duplicate name (any case) and creates nothing', async () => {
    const { s, projectsDir, cleanup } = setup()
    cleanups.push(cleanup)
    await s.projects.create({ name: 'Alpha' })
    await expect(s.projects.create({ name: 'alpha', parentDir: path.join(projectsDir, 'other') })).rejects.toThrow(
      /already exists/,
    )
    expect(readdirSync(projectsDir)).toEqual(['Alpha'])
    expect(existsSync(path.join(projectsDir, 'other'))).toBe(false)
  })

  it('refuses a folder that cannot be written and leaves nothing behind', async () => {
    const { s, cleanup } = setup()
    cleanups.push(cleanup)
    await expect(s.projects.create({ name: 'Nope', parentDir: '/proc/realera-not-writable' })).rejects.toMatchObject({
      code: 'not-writable',
      message: expect.stringContaining('Choose a folder you can write to') as unknown,
    })
    expect(s.projects.list()).toEqual([])
  })

  it('refuses a non-empty existing folder', async () => {
    const { s, projectsDir, cleanup } = setup()
    cleanups.push(cleanup)
    mkdirSync(path.join(projectsDir, 'Busy'), { recursive: true })
    writeFileSync(path.join(projectsDir, 'Busy', 'notes.txt'), 'mine')
    await expect(s.projects.create({ name: 'Busy' })).rejects.toMatchObject({ code: 'conflict' })
    expect(readdirSync(path.join(projectsDir, 'Busy'))).toEqual(['notes.txt'])
  })

  it('invalid input never reaches the service', async () => {
    const { s, projectsDir, cleanup } = setup()
    cleanups.push(cleanup)
    const spy = vi.spyOn(s.projects, 'create')
    const handlers = createHandlers(s)
    for (const name of ['a/b', 'a\\b', '', '..', 'x'.repeat(81)]) {
      const res = await dispatch(handlers, 'projects.create', { name })
      expect(res).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    }
    expect(spy).not.toHaveBeenCalled()
    expect(existsSync(projectsDir)).toBe(false)
    const ok = await dispatch(handlers, 'projects.create', { name: 'Fine' })
    expect(ok.ok).toBe(true)
    expect(spy).toHaveBeenCalledTimes(1)
  })

  it('reports a missing project folder instead of failing', async () => {
    const { s, cleanup } = setup()
    cleanups.push(cleanup)
    const p = await s.projects.create({ name: 'Moved' })
    s.store.close(p.dir)
    await import('node:fs/promises').then((fs) => fs.rm(p.dir, { recursive: true }))
    expect(s.projects.list()[0]?.missing).toBe(true)
    expect(() => s.projects.open(p.id)).toThrow(/folder of project "Moved" is missing/)
  })
})

describe('settings', () => {
  it('refuses a default project folder that cannot be written, keeping the old value', async () => {
    const { s, projectsDir, cleanup } = setup()
    try {
      await expect(s.settings.set({ defaultProjectDir: '/proc/realera-nope' })).rejects.toMatchObject({ code: 'not-writable' })
      expect(s.settings.get().defaultProjectDir).toBe(projectsDir)
      const other = path.join(projectsDir, '..', 'elsewhere')
      expect((await s.settings.set({ defaultProjectDir: other })).defaultProjectDir).toBe(other)
      expect(existsSync(other)).toBe(true)
    } finally {
      cleanup()
    }
  })
})
