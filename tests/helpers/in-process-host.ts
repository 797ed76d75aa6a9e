import path from 'node:path'
import type { JobEvent } from '../../src/shared/contract'
import type { Services } from '../../src/main/host/services'
import { createServices } from '../../src/main/host/services'
import type { JobContext } from '../../src/main/services/jobs/job-service'
import { tempDir } from './temp-dir'

/** The real host services in-process, with temp folders (for integration tests of services). */
export function inProcessHost(name: string): { s: Services; root: string; close: () => Promise<void> } {
  const t = tempDir(name)
  const s = createServices(
    { dataDir: path.join(t.dir, 'data'), defaultProjectsDir: path.join(t.dir, 'projects'), demoStepDelayMs: 0, runtime: 'node', version: 'test' },
    (_e: JobEvent) => undefined,
  )
  return { s, root: t.dir, close: async () => { await s.close(); t.cleanup() } }
}

/** A JobContext for calling a service directly. */
export function testContext(controller = new AbortController()): JobContext & { progress: { phase: string; step: number; total: number | null }[]; logs: string[] } {
  const progress: { phase: string; step: number; total: number | null }[] = []
  const logs: string[] = []
  return { jobId: 'test', signal: controller.signal, onProgress: (p) => progress.push(p), log: (m) => logs.push(m), progress, logs }
}
