import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { JobSnapshot, Project } from '../../../src/shared/contract'
import type { HostClient } from '../../../src/main/host/host-client'
import { call, recordEvents, startHost } from '../../helpers/host-harness'
import { expectJobInvariants } from '../../helpers/job-invariants'
import { tempDir } from '../../helpers/temp-dir'

describe('engine host jobs (forked process, real SQLite)', () => {
  const hosts: HostClient[] = []
  const cleanups: (() => void)[] = []
  afterEach(async () => {
    for (const h of hosts.splice(0)) await h.stop()
    for (const c of cleanups.splice(0)) c()
  })

  async function setup(stepMs: string) {
    const t = tempDir('jobs')
    cleanups.push(t.cleanup)
    const dirs = { dataDir: path.join(t.dir, 'data'), projectsDir: path.join(t.dir, 'projects') }
    const host = await startHost(dirs, { REALERA_DEMO_STEP_MS: stepMs })
    hosts.push(host)
    const project = await call<Project>(host, 'projects.create', { name: 'Jobs' })
    for (let i = 0; i < 8; i++) writeFileSync(path.join(project.dir, `file-${i}.txt`), `content ${i}`)
    return { host, dirs, project, rec: recordEvents(host) }
  }

  it('runs the demo job to success with well-formed events', async () => {
    const { host, project, rec } = await setup('5')
    const job = await call<JobSnapshot>(host, 'jobs.start', { kind: 'verify-project', projectId: project.id })
    const events = await rec.waitForEnd(job.id)
    expectJobInvariants(events)
    expect(events.map((e) => (e.type === 'state' ? e.state : null)).filter(Boolean)).toEqual([
      'queued',
      'running',
      'succeeded',
    ])
    const snapshot = (await call<JobSnapshot[]>(host, 'jobs.list', {})).find((j) => j.id === job.id)
    expect(snapshot?.state).toBe('succeeded')
    expect(snapshot?.lastSeq).toBe(events[events.length - 1]!.seq)
    expect(snapshot?.result).toMatchObject({ files: 11, database: 'ok' })
  })

  it('cancels mid-job: ends cancelled, with no result', async () => {
    const { host, project, rec } = await setup('300')
    const job = await call<JobSnapshot>(host, 'jobs.start', { kind: 'verify-project', projectId: project.id })
    await rec.waitFor((e) => e.jobId === job.id && e.type === 'progress' && e.progress.step >= 1)
    await call(host, 'jobs.cancel', { jobId: job.id })
    const events = await rec.waitForEnd(job.id)
    expectJobInvariants(events)
    const last = events[events.length - 1]!
    expect(last.type === 'state' && last.state).toBe('cancelled')
    const snapshot = (await call<JobSnapshot[]>(host, 'jobs.list', {})).find((j) => j.id === job.id)
    expect(snapshot?.result).toBeNull()
  })

  it('cancels a queued job before it starts', async () => {
    const { host, project, rec } = await setup('200')
    const first = await call<JobSnapshot>(host, 'jobs.start', { kind: 'verify-project', projectId: project.id })
    const second = await call<JobSnapshot>(host, 'jobs.start', { kind: 'verify-project', projectId: project.id })
    expect(second.state).toBe('queued')
    await call(host, 'jobs.cancel', { jobId: second.id })
    await call(host, 'jobs.cancel', { jobId: first.id })
    const events = await rec.waitForEnd(second.id)
    expectJobInvariants(events)
    expect(events.some((e) => e.type === 'state' && e.state === 'running')).toBe(false)
    expectJobInvariants(await rec.waitForEnd(first.id))
  })

  it('SIGKILL mid-job: the restarted host shows the job interrupted and earlier rows intact', async () => {
    const { host, dirs, project, rec } = await setup('300')
    const done = await call<JobSnapshot>(host, 'jobs.start', { kind: 'verify-project', projectId: project.id })
    await call(host, 'jobs.cancel', { jobId: done.id })
    await rec.waitForEnd(done.id)
    const job = await call<JobSnapshot>(host, 'jobs.start', { kind: 'verify-project', projectId: project.id })
    await rec.waitFor((e) => e.jobId === job.id && e.type === 'progress' && e.progress.step >= 1)
    const exited = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (host.pid === undefined) {
          clearInterval(timer)
          resolve()
        }
      }, 20)
    })
    host.kill('SIGKILL')
    await exited

    const again = await startHost(dirs)
    hosts.push(again)
    const jobs = await call<JobSnapshot[]>(again, 'jobs.list', {})
    expect(jobs.find((j) => j.id === job.id)?.state).toBe('interrupted')
    expect(jobs.find((j) => j.id === done.id)?.state).toBe('cancelled')
    const projects = await call<Project[]>(again, 'projects.list', {})
    expect(projects.map((p) => p.name)).toEqual(['Jobs'])
    const opened = await call<Project>(again, 'projects.open', { id: project.id })
    expect(opened.dir).toBe(project.dir)
  })
})
