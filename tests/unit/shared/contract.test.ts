import { describe, expect, expectTypeOf, it } from 'vitest'
import type { HostCommandName, ShellCommandName } from '../../../src/shared/contract'
import { commands, events, parseCommandInput } from '../../../src/shared/contract'
import { commandNames, eventNames } from '../../../src/shared/contract/names'
import type { HostHandlers } from '../../../src/main/host/dispatch'
import type { ShellHandlers } from '../../../src/main/ipc/adapter'
import { StudioError } from '../../../src/shared/errors'

describe('contract', () => {
  it('every command has a handler: host handlers cover host commands, shell handlers the rest', () => {
    expectTypeOf<keyof HostHandlers>().toEqualTypeOf<HostCommandName>()
    expectTypeOf<keyof ShellHandlers>().toEqualTypeOf<ShellCommandName>()
  })

  it('the preload name lists equal the contract keys', () => {
    expect([...commandNames].sort()).toEqual(Object.keys(commands).sort())
    expect([...eventNames].sort()).toEqual(Object.keys(events).sort())
  })

  it.each([
    ['projects.create', { name: '' }, 'name'],
    ['projects.create', { name: 'a/b' }, 'cannot contain /'],
    ['projects.create', { name: 'ok', extra: 1 }, ''],
    ['projects.rename', { id: 'x' }, 'name'],
    ['jobs.start', { kind: 'format-disk', projectId: 'x' }, 'kind'],
    ['settings.set', { theme: 'neon' }, 'theme'],
    ['settings.set', { threads: -1 }, 'threads'],
  ])('rejects bad input for %s with invalid-input', (name, input, mention) => {
    let caught: unknown
    try {
      parseCommandInput(name, input)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(StudioError)
    expect((caught as StudioError).code).toBe('invalid-input')
    expect((caught as StudioError).message).toContain(mention)
  })

  it('rejects unknown commands', () => {
    expect(() => parseCommandInput('fs.readFile', {})).toThrow(/Unknown command/)
  })
})
