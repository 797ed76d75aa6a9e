import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import type { ShortcutId, TargetLike } from './shortcuts'
import { focusContextOf, matchShortcut } from './shortcuts'
import { ShortcutsDialog } from './shortcuts-dialog'

interface Registry {
  /** Adds a handler; the newest registration of an id wins until it is removed. */
  readonly register: (id: ShortcutId, handler: () => void) => () => void
  readonly openHelp: () => void
}

const ShortcutsContext = createContext<Registry | null>(null)

const useRegistry = (): Registry => {
  const value = useContext(ShortcutsContext)
  if (!value) throw new Error('Shortcuts need <ShortcutsProvider>.')
  return value
}

/**
 * Listens for shortcuts on the window and runs the handler the current page registered; owns
 * the "?" dialog that lists them (with the ones this page offers marked).
 */
export function ShortcutsProvider(props: { children: ReactNode }): React.JSX.Element {
  const handlers = useRef(new Map<ShortcutId, (() => void)[]>())
  const [help, setHelp] = useState<ReadonlySet<ShortcutId> | null>(null)

  const register = useCallback((id: ShortcutId, handler: () => void) => {
    const map = handlers.current
    map.set(id, [...(map.get(id) ?? []), handler])
    return () =>
      map.set(
        id,
        (map.get(id) ?? []).filter((h) => h !== handler),
      )
  }, [])
  const openHelp = useCallback(() => {
    const available = [...handlers.current].filter(([, list]) => list.length > 0).map(([id]) => id)
    setHelp(new Set<ShortcutId>([...available, 'help']))
  }, [])

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented) return
      const target = e.target instanceof Element ? (e.target as TargetLike) : null
      const shortcut = matchShortcut(e, focusContextOf(target))
      if (!shortcut) return
      const handler = shortcut.id === 'help' ? openHelp : handlers.current.get(shortcut.id)?.at(-1)
      if (!handler) return
      e.preventDefault()
      handler()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [openHelp])

  const value = useMemo(() => ({ register, openHelp }), [register, openHelp])
  return (
    <ShortcutsContext.Provider value={value}>
      {props.children}
      {help ? <ShortcutsDialog available={help} onClose={() => setHelp(null)} /> : null}
    </ShortcutsContext.Provider>
  )
}

/**
 * Makes a shortcut run `handler` while the calling component is mounted; pass null when the
 * action is not available right now (its key then does nothing, and the dialog says so).
 */
export function useShortcut(id: ShortcutId, handler: (() => void) | null): void {
  const { register } = useRegistry()
  const latest = useRef(handler)
  useEffect(() => {
    latest.current = handler
  })
  const enabled = handler !== null
  useEffect(() => {
    if (!enabled) return
    return register(id, () => latest.current?.())
  }, [register, id, enabled])
}

/** Opens the list of shortcuts (the top bar's keyboard button). */
export const useShortcutsHelp = (): (() => void) => useRegistry().openHelp
