import { createHash } from 'node:crypto'
import { createReadStream, promises as fs } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Db } from '../db/connection'
import type { JobContext } from './jobs/job-service'

export interface VerifyResult {
  readonly files: number
  readonly bytes: number
  readonly digest: string
  readonly database: string
}

async function listFiles(dir: string, signal: AbortSignal): Promise<string[]> {
  const out: string[] = []
  const walk = async (d: string): Promise<void> => {
    signal.throwIfAborted()
    const entries = await fs.readdir(d, { withFileTypes: true })
    entries.sort((a, b) => a.name.localeCompare(b.name))
    for (const e of entries) {
      const full = path.join(d, e.name)
      if (e.isDirectory()) await walk(full)
      else if (e.isFile()) out.push(full)
    }
  }
  await walk(dir)
  return out
}

function hashFile(file: string, signal: AbortSignal): Promise<{ hash: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256')
    let bytes = 0
    const stream = createReadStream(file, { signal })
    stream.on('data', (chunk) => {
      bytes += chunk.length
      h.update(chunk)
    })
    stream.on('error', reject)
    stream.on('end', () => resolve({ hash: h.digest('hex'), bytes }))
  })
}

/**
 * The demo job: checks the project database's integrity and hashes every file in the project
 * folder, one progress step per file. `stepDelayMs` paces it (0 in normal use) so tests and
 * demos can watch the progress bar move and cancel it mid-way.
 */
export async function verifyProject(
  input: { dir: string; db: Db; stepDelayMs: number },
  { signal, onProgress, log }: JobContext,
): Promise<VerifyResult> {
  onProgress({ phase: 'database', step: 0, total: null })
  const check = input.db.pragma('integrity_check', { simple: true }) as string
  if (check !== 'ok') log(`Database integrity check reported: ${check}`, 'warn')
  const files = await listFiles(input.dir, signal)
  const total = Math.max(files.length, 1)
  const listing = createHash('sha256')
  let bytes = 0
  for (let i = 0; i < total; i++) {
    signal.throwIfAborted()
    const file = files[i]
    if (file !== undefined) {
      const { hash, bytes: n } = await hashFile(file, signal)
      bytes += n
      listing.update(`${path.relative(input.dir, file)}\t${hash}\n`)
    }
    if (input.stepDelayMs > 0) await sleep(input.stepDelayMs, undefined, { signal })
    onProgress({ phase: 'files', step: i + 1, total })
  }
  log(`Verified ${files.length} files (${bytes} bytes).`)
  return { files: files.length, bytes, digest: listing.digest('hex'), database: check }
}
