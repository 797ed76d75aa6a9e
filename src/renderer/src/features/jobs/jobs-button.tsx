import JobsIcon from '@mui/icons-material/WorkHistoryOutlined'
import Badge from '@mui/material/Badge'
import Button from '@mui/material/Button'
import { useJobs } from './use-jobs'

/** Top-bar button that opens the jobs drawer; its badge counts queued and running jobs. */
export function JobsButton(): React.JSX.Element {
  const { activeCount, setDrawerOpen, drawerOpen } = useJobs()
  return (
    <Button
      color="inherit"
      onClick={() => setDrawerOpen(true)}
      aria-label={activeCount > 0 ? `Jobs (${activeCount} active)` : 'Jobs'}
      aria-expanded={drawerOpen}
      aria-haspopup="dialog"
      aria-keyshortcuts="J"
      startIcon={
        <Badge badgeContent={activeCount} color="primary" max={99}>
          <JobsIcon />
        </Badge>
      }
      sx={{ px: 1.5 }}
    >
      Jobs
    </Button>
  )
}
