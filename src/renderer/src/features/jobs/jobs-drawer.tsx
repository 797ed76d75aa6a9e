import CloseIcon from '@mui/icons-material/Close'
import JobsIcon from '@mui/icons-material/WorkHistoryOutlined'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Divider from '@mui/material/Divider'
import Drawer from '@mui/material/Drawer'
import IconButton from '@mui/material/IconButton'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { ErrorAlert } from '../../components/error-alert'
import { selectJobs } from './model'
import { JobList } from './job-list'
import { useJobs } from './use-jobs'

const WIDTH = 420

export function JobsDrawer(): React.JSX.Element {
  const { state, drawerOpen, setDrawerOpen, cancel, loadError, reload, activeCount } = useJobs()
  const jobs = selectJobs(state)
  return (
    <Drawer
      anchor="right"
      open={drawerOpen}
      onClose={() => setDrawerOpen(false)}
      slotProps={{
        paper: {
          sx: { width: WIDTH, maxWidth: '100vw' },
          role: 'dialog',
          'aria-labelledby': 'jobs-drawer-title',
          // J closes the drawer from inside it (see app/shortcuts.ts).
          ...{ 'data-shortcuts': 'jobs' },
        },
      }}
    >
      <Stack direction="row" sx={{ alignItems: 'center', px: 2.5, py: 1.5, gap: 1 }}>
        <Box sx={{ flex: 1 }}>
          <Typography variant="h2" id="jobs-drawer-title">
            Jobs
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {activeCount === 0 ? 'Nothing running' : `${activeCount} active`}
          </Typography>
        </Box>
        <IconButton aria-label="Close jobs" onClick={() => setDrawerOpen(false)} edge="end">
          <CloseIcon />
        </IconButton>
      </Stack>
      <Divider />
      {loadError ? (
        <ErrorAlert error={loadError} title="Could not load the jobs." sx={{ m: 2 }} />
      ) : null}
      {loadError ? (
        <Button onClick={reload} sx={{ mx: 2, alignSelf: 'flex-start' }}>
          Try again
        </Button>
      ) : null}
      {jobs.length > 0 ? (
        <Box sx={{ overflowY: 'auto', flex: 1 }}>
          <JobList jobs={jobs} onCancel={cancel} label="All jobs" />
        </Box>
      ) : state.loaded ? (
        <Stack spacing={1} sx={{ alignItems: 'center', textAlign: 'center', px: 4, py: 8 }}>
          <JobsIcon sx={{ fontSize: 40, color: 'text.secondary' }} aria-hidden />
          <Typography variant="subtitle1">No jobs yet</Typography>
          <Typography variant="body2" color="text.secondary">
            Long tasks, such as verifying a project folder, show their progress here. You can keep
            working while they run.
          </Typography>
        </Stack>
      ) : null}
    </Drawer>
  )
}
