/**
 * The bundled ShapeWorld model: the demo project a first start makes (forked host and the
 * service directly), and `--model shapeworld` in the CLI. A generated tiny pipeline stands in
 * for resources/shapeworld through REALERA_BUNDLED_SHAPEWORLD.
 */
import { execFile } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import type { JobSnapshot, Model, Project } from '../../../src/shared/contract'
import { isTerminal } from '../../../src/shared/contract'
import type { HostClient } from '../../../src/main/host/host-client'
import { bundledShapeWorld } from '../../../src/main/services/bundled-models'
import { DEMO_PROJECT_NAME, ensureDemoProject } from '../../../src/main/services/demo-project'
import { call, startHost } from '../../helpers/host-harness'
import { inProcessHost } from '../../helpers/in-process-host'
import { tempDir } from '../../helpers/temp-dir'
import { tinyModelFactory } from '../../helpers/tiny-models'

const run = promisify(execFile)
const tmp = tempDir('demo-project')
const tiny = tinyModelFactory(tmp.dir)
afterAll(() => tmp.cleanup())

async function waitForJob(host: HostClient, id: string): Promise<JobSnapshot> {
  for (let i = 0; i < 600; i++) {
    const job = (await call<JobSnapshot[]>(host, 'jobs.list', {})).find((j) => j.id === id)
    if (job && isTerminal(job.state)) return job
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`job ${id} did not end`)
}

describe('the demo project on first start (forked host)', () => {
  it('is made once with the bundled model registered, and stays deleted', async () => {
    const { dir } = await tiny('sd1')
    const dirs = { dataDir: path.join(tmp.dir, 'host-data'), projectsDir: path.join(tmp.dir, 'host-projects') }
    const env = { REALERA_NO_DEMO: '0', REALERA_BUNDLED_SHAPEWORLD: dir }
    let host = await startHost(dirs, env)
    try {
      const projects = await call<Project[]>(host, 'projects.list', {})
      expect(projects.map((p) => [p.name, p.dir])).toEqual([[DEMO_PROJECT_NAME, path.join(dirs.projectsDir, DEMO_PROJECT_NAME)]])
      const jobs = await call<JobSnapshot[]>(host, 'jobs.list', { projectId: projects[0]!.id })
      expect(jobs.map((j) => j.kind)).toEqual(['register-model'])
      expect((await waitForJob(host, jobs[0]!.id)).state).toBe('succeeded')
      const models = await call<Model[]>(host, 'models.list', { projectId: projects[0]!.id })
      expect(models.map((m) => [m.name, m.dir, m.missing])).toEqual([['ShapeWorld', dir, false]])
      await call(host, 'projects.delete', { id: projects[0]!.id, deleteFiles: true })
    } finally {
      await host.stop()
    }
    host = await startHost(dirs, env)
    try {
      expect(await call<Project[]>(host, 'projects.list', {})).toEqual([])
    } finally {
      await host.stop()
    }
  })

  it('is not made by default in the test harness', async () => {
    const { dir } = await tiny('sd1')
    const dirs = { dataDir: path.join(tmp.dir, 'off-data'), projectsDir: path.join(tmp.dir, 'off-projects') }
    const host = await startHost(dirs, { REALERA_BUNDLED_SHAPEWORLD: dir })
    try {
      expect(await call<Project[]>(host, 'projects.list', {})).toEqual([])
    } finally {
      await host.stop()
    }
  })
})

describe('ensureDemoProject', () => {
  it('skips with a log line while the model is missing, and makes the demo once it is there', async () => {
    const h = inProcessHost('demo-missing')
    try {
      const empty = path.join(h.root, 'no-model')
      mkdirSync(empty)
      const lines: string[] = []
      const missing = await ensureDemoProject(h.s, { enabled: true, model: bundledShapeWorld({ REALERA_BUNDLED_SHAPEWORLD: empty }), log: (l) => lines.push(l) })
      expect(missing).toEqual({ status: 'no-model', dir: empty })
      expect(lines).toEqual([expect.stringContaining('not installed') as unknown])
      expect(h.s.projects.list()).toEqual([])

      const { dir } = await tiny('sd1')
      const made = await ensureDemoProject(h.s, { enabled: true, model: bundledShapeWorld({ REALERA_BUNDLED_SHAPEWORLD: dir }), log: () => undefined })
      expect(made.status).toBe('created')
      await h.s.jobs.idle()
      const [project] = h.s.projects.list()
      expect(project?.name).toBe(DEMO_PROJECT_NAME)
      expect(h.s.models.list(project!).map((m) => m.dir)).toEqual([dir])
      const again = await ensureDemoProject(h.s, { enabled: true, model: bundledShapeWorld({ REALERA_BUNDLED_SHAPEWORLD: dir }), log: () => undefined })
      expect(again.status).toBe('done-before')
      expect(h.s.projects.list()).toHaveLength(1)
    } finally {
      await h.close()
    }
  })

  it('leaves a catalog with projects alone, for good, and does nothing when disabled', async () => {
    const { dir } = await tiny('sd1')
    const model = bundledShapeWorld({ REALERA_BUNDLED_SHAPEWORLD: dir })
    const h = inProcessHost('demo-existing')
    try {
      expect(await ensureDemoProject(h.s, { enabled: false, model, log: () => undefined })).toEqual({ status: 'disabled' })
      const mine = await h.s.projects.create({ name: 'Mine' })
      expect(await ensureDemoProject(h.s, { enabled: true, model, log: () => undefined })).toEqual({ status: 'has-projects' })
      await h.s.projects.delete(mine.id, true)
      expect(await ensureDemoProject(h.s, { enabled: true, model, log: () => undefined })).toEqual({ status: 'done-before' })
      expect(h.s.projects.list()).toEqual([])
      // The flag is no user setting: settings still read and validate.
      expect(h.s.settings.get().theme).toBe('system')
    } finally {
      await h.close()
    }
  })
})

describe('--model shapeworld in the CLI', () => {
  const cli = (args: string[], bundled: string) =>
    run(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', ...args], {
      env: { ...process.env, REALERA_DATA_DIR: path.join(tmp.dir, 'cli-data'), REALERA_PROJECTS_DIR: path.join(tmp.dir, 'cli-projects'), REALERA_BUNDLED_SHAPEWORLD: bundled },
      maxBuffer: 16 * 1024 * 1024,
    })

  it('resolves to the bundled model in model inspect and erase', async () => {
    const { dir } = await tiny('sd1')
    const inspect = JSON.parse((await cli(['model', 'inspect', 'shapeworld', '--provider', 'cpu', '--json'], dir)).stdout) as { dir: string }
    expect(inspect.dir).toBe(dir)
    const erased = JSON.parse(
      (await cli(['erase', '--model', 'shapeworld', '--concept', 'red', '--variant', 'closed-form', '--no-gallery', '--json'], dir)).stdout,
    ) as { experiment: { status: string; modelId: string; projectId: string } }
    expect(erased.experiment.status).toBe('succeeded')
  })

  it('says how to get the model when it is not installed', async () => {
    const empty = path.join(tmp.dir, 'cli-empty')
    mkdirSync(empty, { recursive: true })
    const failed = cli(['generate', '--model', 'shapeworld', '--prompt', 'a red circle', '--out', path.join(tmp.dir, 'x.png')], empty)
    await expect(failed).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/bundled ShapeWorld model is not installed .*npm run train:shapeworld/) as unknown,
    })
  })
})
