import { constants, existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { StudioError } from '../../shared/errors'

/**
 * Makes sure `dir` exists and can be written, creating it if needed. Probes the nearest
 * existing ancestor with a real write first (access() is not enough: root passes it everywhere,
 * and some file systems refuse writes whatever the mode bits say); Node's recursive mkdir can
 * spin on pseudo file systems like /proc, which is why the probe comes before it.
 */
export async function ensureWritableFolder(dir: string): Promise<void> {
  const fail = (): StudioError =>
    new StudioError('not-writable', `The folder ${dir} is not writable. Choose a folder you can write to.`)
  let existing = dir
  while (!existsSync(existing)) {
    const up = path.dirname(existing)
    if (up === existing) throw fail()
    existing = up
  }
  const probe = path.join(existing, `.realera-write-test-${process.pid}`)
  try {
    if (!(await fs.stat(existing)).isDirectory()) throw fail()
    await fs.access(existing, constants.W_OK)
    await fs.writeFile(probe, '')
    await fs.rm(probe)
    await fs.mkdir(dir, { recursive: true })
  } catch {
    throw fail()
  }
}
