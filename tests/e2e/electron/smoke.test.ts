import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { _electron as electron } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../helpers/temp-dir'

/**
 * Electron's binary is downloaded lazily by the electron package, which cannot happen offline.
 * We look for it without requiring the package (that would trigger the download) and skip with
 * a message saying how to get it.
 */
function electronBinary(): string | null {
  const pkg = path.resolve('node_modules/electron')
  const pathFile = path.join(pkg, 'path.txt')
  if (!existsSync(pathFile)) return null
  const bin = path.join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(bin) ? bin : null
}

const binary = electronBinary()
if (!binary) {
  console.log(
    'Electron smoke test skipped: the Electron binary is not installed (it downloads on first use, which needs internet). Run `node node_modules/electron/install.js` on a connected machine, then `npm run rebuild:electron`.',
  )
}

describe.skipIf(!binary)('Electron shell smoke test', () => {
  const t = tempDir('electron')
  afterAll(() => t.cleanup())

  it('opens a sandboxed window that talks to the host through the preload', async () => {
    const app = await electron.launch({
      executablePath: binary ?? '',
      args: [path.resolve('out/main/index.js')],
      env: { ...process.env, REALERA_DATA_DIR: path.join(t.dir, 'data'), REALERA_PROJECTS_DIR: path.join(t.dir, 'p') },
    })
    try {
      const page = await app.firstWindow()
      expect(await page.title()).toBe('RealEra Studio')
      const hasNode = await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)
      expect(hasNode).toBe('undefined')
      const info = await page.evaluate(() => {
        const api = (globalThis as { studio?: { invoke(n: string, i: unknown): Promise<unknown> } }).studio
        return api?.invoke('app.info', {})
      })
      expect(info).toMatchObject({ ok: true, value: { runtime: 'electron' } })
    } finally {
      await app.close()
    }
  })
})
