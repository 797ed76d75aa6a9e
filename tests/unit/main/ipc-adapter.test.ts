import { describe, expect, it } from 'vitest'
import type { Envelope } from '../../../src/shared/errors'
import { createIpcAdapter, trustedUrlChecker } from '../../../src/main/ipc/adapter'

const rendererFile = '/opt/realera/out/renderer/index.html'

function makeAdapter() {
  const forwarded: { name: string; input: unknown }[] = []
  const adapter = createIpcAdapter({
    isTrustedUrl: trustedUrlChecker(rendererFile, null),
    forward: (name, input) => {
      forwarded.push({ name, input })
      return Promise.resolve({ ok: true, value: 'from-host' } as Envelope<unknown>)
    },
    shell: {
      'shell.chooseFolder': () => Promise.resolve({ path: '/chosen' }),
      'shell.capabilities': () => Promise.resolve({ nativeDialogs: true, mediaBase: 'media://' }),
      'shell.showInFolder': () => Promise.resolve({ path: '/shown' }),
    },
  })
  return { adapter, forwarded }
}

const trusted = { url: `file://${rendererFile}`, isMainFrame: true }

describe('IPC adapter (sender check → schema → host)', () => {
  it('forwards a valid command from the studio window', async () => {
    const { adapter, forwarded } = makeAdapter()
    expect(await adapter(trusted, 'projects.list', {})).toEqual({ ok: true, value: 'from-host' })
    expect(forwarded).toEqual([{ name: 'projects.list', input: {} }])
  })

  it.each([
    ['another page', { url: 'https://evil.example/index.html', isMainFrame: true }],
    ['another local file', { url: 'file:///tmp/index.html', isMainFrame: true }],
    ['a subframe', { ...trusted, isMainFrame: false }],
    ['no frame', null],
  ])('rejects %s as untrusted and forwards nothing', async (_label, sender) => {
    const { adapter, forwarded } = makeAdapter()
    const res = await adapter(sender, 'projects.list', {})
    expect(res).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } })
    expect(forwarded).toHaveLength(0)
  })

  it('rejects invalid input before it reaches the host', async () => {
    const { adapter, forwarded } = makeAdapter()
    const res = await adapter(trusted, 'projects.create', { name: '../escape' })
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(forwarded).toHaveLength(0)
  })

  it('rejects unknown commands', async () => {
    const { adapter } = makeAdapter()
    expect(await adapter(trusted, 'fs.rm', {})).toMatchObject({ ok: false, error: { code: 'unknown-command' } })
  })

  it('serves shell commands in main', async () => {
    const { adapter, forwarded } = makeAdapter()
    expect(await adapter(trusted, 'shell.chooseFolder', {})).toEqual({ ok: true, value: { path: '/chosen' } })
    expect(forwarded).toHaveLength(0)
  })

  it('trusts the dev server origin only when one is configured', () => {
    const check = trustedUrlChecker(rendererFile, 'http://localhost:5173')
    expect(check('http://localhost:5173/index.html')).toBe(true)
    expect(check('http://localhost:5174/index.html')).toBe(false)
    expect(trustedUrlChecker(rendererFile, null)('http://localhost:5173/')).toBe(false)
  })
})
