import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react'
import type { ReactNode } from 'react'
import type { JobSnapshot, StartJob } from '../../../../shared/contract'
import { useClient } from '../../app/client-context'
import { JobsStore } from './jobs-store'
import type { JobsState } from './model'
import { activeCount } from './model'

interface JobsValue {
  readonly state: JobsState
  readonly activeCount: number
  readonly loadError: unknown
  readonly reload: () => void
  /** Starts a job; rejects with the host's error. */
  readonly start: (input: StartJob) => Promise<JobSnapshot>
  /** Asks the host to cancel; rejects with the host's error. */
  readonly cancel: (jobId: string) => Promise<JobSnapshot>
  readonly drawerOpen: boolean
  readonly setDrawerOpen: (open: boolean) => void
}

const JobsContext = createContext<JobsValue | null>(null)

/** App-wide jobs: the store's state for the top bar, the drawer and the pages. */
export function JobsProvider(props: { children: ReactNode }): React.JSX.Element {
  const client = useClient()
  const store = useMemo(() => new JobsStore(client), [client])
  useEffect(() => store.connect(), [store])
  const view = useSyncExternalStore(store.subscribe, store.getView)
  const [drawerOpen, setDrawerOpen] = useState(false)

  const value = useMemo(
    () => ({
      state: view.state,
      activeCount: activeCount(view.state),
      loadError: view.loadError,
      reload: store.reload,
      start: store.start,
      cancel: store.cancel,
      drawerOpen,
      setDrawerOpen,
    }),
    [view, store, drawerOpen],
  )
  return <JobsContext.Provider value={value}>{props.children}</JobsContext.Provider>
}

export function useJobs(): JobsValue {
  const value = useContext(JobsContext)
  if (!value) throw new Error('useJobs must be used inside <JobsProvider>.')
  return value
}
