import { createContext, useContext, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import type { Route } from './navigation'
import { homeRoute } from './navigation'

interface RouterValue {
  readonly route: Route
  readonly navigate: (route: Route) => void
}

const RouterContext = createContext<RouterValue | null>(null)

export function RouterProvider(props: { initial?: Route; children: ReactNode }): React.JSX.Element {
  const [route, setRoute] = useState<Route>(props.initial ?? homeRoute)
  const value = useMemo(() => ({ route, navigate: setRoute }), [route])
  return <RouterContext.Provider value={value}>{props.children}</RouterContext.Provider>
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext)
  if (!value) throw new Error('useRouter must be used inside <RouterProvider>.')
  return value
}
