/**
 * The studio's keyboard shortcuts as data, and the pure rules that decide whether a key press
 * is one: no shortcut fires while you type in a field, and none reaches the page behind an open
 * dialog (Esc, which closes dialogs, is MUI's own). `use-shortcuts.tsx` wires this to the window.
 */
export type ShortcutId = 'new-experiment' | 'generate' | 'compare' | 'jobs' | 'settings' | 'help'

export interface KeyChord {
  /** `KeyboardEvent.key`, lower case for letters. */
  readonly key: string
  /** Ctrl on Windows and Linux, ⌘ on macOS (either is accepted everywhere). */
  readonly mod?: boolean
}

export interface Shortcut {
  readonly id: ShortcutId
  readonly chord: KeyChord
  readonly description: string
  /** Where it works, as the shortcuts dialog says it. */
  readonly where: string
  /** Dialog scopes (`data-shortcuts` on the dialog) in which it still works. */
  readonly dialogs?: readonly string[]
}

export const shortcuts: readonly Shortcut[] = [
  {
    id: 'new-experiment',
    chord: { key: 'n' },
    description: 'New experiment',
    where: 'Project page',
  },
  { id: 'generate', chord: { key: 'g' }, description: 'Generate images', where: 'Project page' },
  {
    id: 'compare',
    chord: { key: 'c' },
    description: 'Compare the selected experiments',
    where: 'Project page, with two or more selected',
  },
  {
    id: 'jobs',
    chord: { key: 'j' },
    description: 'Show or hide the jobs',
    where: 'Anywhere',
    dialogs: ['jobs'],
  },
  { id: 'settings', chord: { key: ',', mod: true }, description: 'Settings', where: 'Anywhere' },
  { id: 'help', chord: { key: '?' }, description: 'This list of shortcuts', where: 'Anywhere' },
]

/** The members of a `KeyboardEvent` the rules read. */
export interface KeyPress {
  readonly key: string
  readonly ctrlKey: boolean
  readonly metaKey: boolean
  readonly altKey: boolean
  readonly shiftKey: boolean
  readonly isComposing?: boolean
}

/** Where focus is when the key is pressed. */
export interface FocusContext {
  /** In a text field, a select, an editable element: letters are typing, not shortcuts. */
  readonly typing: boolean
  /** Null outside dialogs; inside one, its `data-shortcuts` scope ('' when it has none). */
  readonly dialog: string | null
}

/** The members of a DOM element `focusContextOf` reads. */
export interface TargetLike {
  readonly tagName?: string
  readonly type?: string
  readonly isContentEditable?: boolean
  getAttribute?(name: string): string | null
  closest?(selector: string): TargetLike | null
}

/** Input types that take no typed text (a letter pressed on a checkbox is free for shortcuts). */
const keylessInputs = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'range',
  'color',
  'file',
  'image',
])

const typingRoles = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton'])

export function focusContextOf(target: TargetLike | null): FocusContext {
  if (!target) return { typing: false, dialog: null }
  const tag = (target.tagName ?? '').toUpperCase()
  const role = target.getAttribute?.('role') ?? ''
  const typing =
    tag === 'TEXTAREA' ||
    tag === 'SELECT' ||
    (tag === 'INPUT' && !keylessInputs.has((target.type ?? 'text').toLowerCase())) ||
    target.isContentEditable === true ||
    typingRoles.has(role) ||
    // Open menus and lists take letters as type-ahead.
    (target.closest?.('[role="menu"], [role="listbox"]') ?? null) !== null
  const dialog = target.closest?.('[role="dialog"], [role="alertdialog"]') ?? null
  return {
    typing,
    dialog: dialog ? (dialog.getAttribute?.('data-shortcuts') ?? '') : null,
  }
}

const isLetter = (key: string): boolean => /^[a-z]$/i.test(key)

/** Whether the press is the chord: letters without Shift (Caps Lock is fine), symbols as typed. */
export function chordMatches(chord: KeyChord, e: KeyPress): boolean {
  if (e.altKey || e.isComposing) return false
  const mod = e.ctrlKey || e.metaKey
  if (mod !== (chord.mod ?? false)) return false
  if (isLetter(chord.key)) return !e.shiftKey && e.key.toLowerCase() === chord.key
  return e.key === chord.key
}

/**
 * The shortcut a key press means here, or null: chords with Ctrl/⌘ work while typing, plain
 * keys do not; inside a dialog only shortcuts that name its scope work.
 */
export function matchShortcut(
  e: KeyPress,
  focus: FocusContext,
  list: readonly Shortcut[] = shortcuts,
): Shortcut | null {
  for (const s of list) {
    if (!chordMatches(s.chord, e)) continue
    if (focus.typing && !s.chord.mod) continue
    if (focus.dialog !== null && !(s.dialogs ?? []).includes(focus.dialog)) continue
    return s
  }
  return null
}

/** The keys to press, as the platform names them: "N", "Ctrl+,", "⌘,". */
export function chordKeys(chord: KeyChord, mac: boolean): string[] {
  const key = isLetter(chord.key) ? chord.key.toUpperCase() : chord.key
  return chord.mod ? [mac ? '⌘' : 'Ctrl', key] : [key]
}

/** The same keys as one string for an `aria-keyshortcuts` attribute ("Control+Comma" style). */
export function ariaKeys(chord: KeyChord): string {
  const key = isLetter(chord.key) ? chord.key.toUpperCase() : chord.key
  return chord.mod ? `Control+${key} Meta+${key}` : key
}

export const shortcutById = (id: ShortcutId): Shortcut => {
  const found = shortcuts.find((s) => s.id === id)
  if (!found) throw new Error(`No shortcut ${id}.`)
  return found
}
