// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import type { KeyPress } from '../../../src/renderer/src/app/shortcuts'
import {
  chordKeys,
  focusContextOf,
  matchShortcut,
  shortcutById,
} from '../../../src/renderer/src/app/shortcuts'

const press = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...over,
})

const page = { typing: false, dialog: null }

/** An element in a fresh document, optionally inside a wrapper (a dialog). */
function element(html: string, wrapper?: string): Element {
  document.body.innerHTML = wrapper ? wrapper.replace('%', html) : html
  const el = document.body.querySelector('[data-target]')
  if (!el) throw new Error('no target')
  return el
}

describe('shortcut matching', () => {
  it('maps plain letters, ? and Ctrl/⌘+, to their shortcuts', () => {
    expect(matchShortcut(press('n'), page)?.id).toBe('new-experiment')
    expect(matchShortcut(press('N'), page)?.id).toBe('new-experiment') // Caps Lock
    expect(matchShortcut(press('g'), page)?.id).toBe('generate')
    expect(matchShortcut(press('c'), page)?.id).toBe('compare')
    expect(matchShortcut(press('j'), page)?.id).toBe('jobs')
    expect(matchShortcut(press('?', { shiftKey: true }), page)?.id).toBe('help')
    expect(matchShortcut(press(',', { ctrlKey: true }), page)?.id).toBe('settings')
    expect(matchShortcut(press(',', { metaKey: true }), page)?.id).toBe('settings')
  })

  it('ignores modified letters and unbound keys (the browser and the OS keep theirs)', () => {
    expect(matchShortcut(press('n', { ctrlKey: true }), page)).toBeNull()
    expect(matchShortcut(press('N', { shiftKey: true }), page)).toBeNull()
    expect(matchShortcut(press('n', { altKey: true }), page)).toBeNull()
    expect(matchShortcut(press(','), page)).toBeNull()
    expect(matchShortcut(press('x'), page)).toBeNull()
    expect(matchShortcut(press('n', { isComposing: true }), page)).toBeNull()
  })

  it('lets plain keys type in fields; Ctrl+, still works there', () => {
    const typing = { typing: true, dialog: null }
    expect(matchShortcut(press('n'), typing)).toBeNull()
    expect(matchShortcut(press('?', { shiftKey: true }), typing)).toBeNull()
    expect(matchShortcut(press(',', { ctrlKey: true }), typing)?.id).toBe('settings')
  })

  it('keeps shortcuts from the page behind a dialog, except those scoped to it', () => {
    expect(matchShortcut(press('n'), { typing: false, dialog: '' })).toBeNull()
    expect(matchShortcut(press(',', { ctrlKey: true }), { typing: false, dialog: '' })).toBeNull()
    expect(matchShortcut(press('j'), { typing: false, dialog: 'jobs' })?.id).toBe('jobs')
    expect(matchShortcut(press('n'), { typing: false, dialog: 'jobs' })).toBeNull()
  })
})

describe('focus context', () => {
  it('treats text fields, selects, editable elements and open menus (type-ahead) as typing', () => {
    for (const html of [
      '<input data-target>',
      '<input data-target type="number">',
      '<input data-target type="search">',
      '<textarea data-target></textarea>',
      '<select data-target></select>',
      '<div data-target role="combobox" tabindex="0"></div>',
      '<div data-target contenteditable="true"></div>',
      '<ul role="listbox"><li data-target role="option" tabindex="-1">Cancelled</li></ul>',
      '<ul role="menu"><li data-target role="menuitem" tabindex="-1">Add</li></ul>',
    ]) {
      expect(focusContextOf(element(html)).typing, html).toBe(true)
    }
  })

  it('leaves checkboxes, sliders and buttons free for shortcuts', () => {
    for (const html of [
      '<input data-target type="checkbox">',
      '<input data-target type="range">',
      '<button data-target>Go</button>',
    ]) {
      expect(focusContextOf(element(html)), html).toEqual({ typing: false, dialog: null })
    }
    expect(focusContextOf(null)).toEqual({ typing: false, dialog: null })
  })

  it('names the dialog focus is in, by its data-shortcuts scope', () => {
    const inDialog = element('<button data-target>x</button>', '<div role="dialog">%</div>')
    expect(focusContextOf(inDialog)).toEqual({ typing: false, dialog: '' })
    const inJobs = element(
      '<button data-target>x</button>',
      '<div role="dialog" data-shortcuts="jobs"><div>%</div></div>',
    )
    expect(focusContextOf(inJobs).dialog).toBe('jobs')
  })
})

describe('shortcut labels', () => {
  it('names the keys as the platform does', () => {
    expect(chordKeys(shortcutById('settings').chord, false)).toEqual(['Ctrl', ','])
    expect(chordKeys(shortcutById('settings').chord, true)).toEqual(['⌘', ','])
    expect(chordKeys(shortcutById('new-experiment').chord, false)).toEqual(['N'])
  })
})
