import Box from '@mui/material/Box'
import { JobsDrawer } from '../features/jobs/jobs-drawer'
import { useJobs } from '../features/jobs/use-jobs'
import { useSettings } from '../features/settings/use-settings'
import { ErrorAlert } from '../components/error-alert'
import { NavRail } from './nav-rail'
import { PageOutlet } from './page-outlet'
import { useRouter } from './router'
import { TopBar } from './top-bar'
import { useShortcut } from './use-shortcuts'

/** Top bar, left navigation, the current page, and the jobs drawer over them. */
export function AppShell(): React.JSX.Element {
  const { loadError } = useSettings()
  const { navigate } = useRouter()
  const { drawerOpen, setDrawerOpen } = useJobs()
  useShortcut('settings', () => navigate({ page: 'settings' }))
  useShortcut('jobs', () => setDrawerOpen(!drawerOpen))
  return (
    <Box sx={{ height: '100vh', display: 'flex', flexDirection: 'column' }}>
      <TopBar />
      <Box sx={{ flex: 1, display: 'flex', minHeight: 0 }}>
        <NavRail />
        <Box component="main" sx={{ flex: 1, minWidth: 0, overflowY: 'auto' }}>
          <Box sx={{ maxWidth: 1120, mx: 'auto', px: 4, py: 3.5 }}>
            {loadError ? (
              <ErrorAlert
                error={loadError}
                title="The studio engine did not answer."
                sx={{ mb: 3 }}
              />
            ) : null}
            <PageOutlet />
          </Box>
        </Box>
      </Box>
      <JobsDrawer />
    </Box>
  )
}
