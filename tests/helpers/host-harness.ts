import path from 'node:path'
import type { JobEvent, JobSnapshot } from '../../src/shared/contract'
import { isTerminal } from '../../src/shared/contract'
import type { Envelope } from '../../src/shared/errors'
import { HostClient, nodeSpawner } from '../../src/main/host/host-client'

export interface HarnessDirs {
  readonly dataDir: string
  readonly projectsDir: string
}

/**
 * Forks a real engine host (tsx on the TypeScript source) with its own data folders. No demo
 * project unless `extraEnv` sets REALERA_NO_DEMO to something other than '1'.
 */
export async function startHost(dirs: HarnessDirs, extraEnv: Record<string, string> = {}): Promise<HostClient> {
  const env = {
    ...process.env,
    REALERA_DATA_DIR: dirs.dataDir,
    REALERA_PROJECTS_DIR: dirs.projectsDir,
    REALERA_NO_DEMO: '1',
    ...extraEnv,
  }
  const client = new HostClient(nodeSpawner(env), { restartOnCrash: false })
  await client.start()
  return client
}

export async function call<T>(client: HostClient, name: string, input: unknown): Promise<T> {
  const res: Envelope<unknown> = await client.request(name, input)
  if (!res.ok) throw new Error(`${name} failed: ${res.error.code}: ${res.error.message}`)
  return res.value as T
}

/** Records every job event the host pushes, grouped by job. */
export function recordEvents(client: HostClient): {
  events: (jobId: string) => JobEvent[]
  waitForEnd: (jobId: string, timeoutMs?: number) => Promise<JobEvent[]>
  waitFor: (pred: (e: JobEvent) => boolean, timeoutMs?: number) => Promise<JobEvent>
} {
  const all: JobEvent[] = []
  const waiters: { pred: (e: JobEvent) => boolean; resolve: (e: JobEvent) => void }[] = []
  client.onEvent((payload) => {
    const e = payload
    all.push(e)
    for (const w of [...waiters]) {
      if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(e)
      }
    }
  })
  const events = (jobId: string): JobEvent[] => all.filter((e) => e.jobId === jobId)
  const waitFor = (pred: (e: JobEvent) => boolean, timeoutMs = 30_000): Promise<JobEvent> => {
    const hit = all.find(pred)
    if (hit) return Promise.resolve(hit)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a job event')), timeoutMs)
      waiters.push({
        pred,
        resolve: (e) => {
          clearTimeout(timer)
          resolve(e)
        },
      })
    })
  }
  const waitForEnd = async (jobId: string, timeoutMs?: number): Promise<JobEvent[]> => {
    await waitFor((e) => e.jobId === jobId && e.type === 'state' && isTerminal(e.state), timeoutMs)
    return events(jobId)
  }
  return { events, waitForEnd, waitFor }
}

export const projectFile = (dir: string, name: string): string => path.join(dir, name)
export type { JobSnapshot }
