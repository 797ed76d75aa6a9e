import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'

/**
 * Writes a file so that readers see either the old content or the new, never a partial one:
 * write a temp file in the same folder, fsync it, rename over the target. On any failure the
 * temp file is removed and the target is untouched.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  let handle: fs.FileHandle | undefined
  try {
    handle = await fs.open(tmp, 'wx')
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    handle = undefined
    await fs.rename(tmp, file)
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined)
    await fs.rm(tmp, { force: true }).catch(() => undefined)
    throw err
  }
}
