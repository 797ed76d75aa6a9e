import VerifyIcon from '@mui/icons-material/FactCheckOutlined'
import Button from '@mui/material/Button'
import Divider from '@mui/material/Divider'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import type { Project } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/error-alert'
import { isActive, selectJobs } from '../jobs/model'
import { JobList } from '../jobs/job-list'
import { useJobs } from '../jobs/use-jobs'

const RECENT = 3

/** Starts the verify job and shows this project's latest jobs. */
export function VerifyCard(props: { project: Project }): React.JSX.Element {
  const { state, start, cancel, setDrawerOpen } = useJobs()
  const [starting, setStarting] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const jobs = selectJobs(state, props.project.id)
  const running = jobs.some(isActive)

  const verify = (): void => {
    setStarting(true)
    setError(null)
    start({ kind: 'verify-project', projectId: props.project.id })
      .catch((err: unknown) => setError(err))
      .finally(() => setStarting(false))
  }

  return (
    <Paper variant="outlined" component="section" aria-labelledby="verify-title">
      <Stack direction="row" spacing={2} sx={{ p: 3, alignItems: 'center' }}>
        <Stack sx={{ flex: 1, minWidth: 0 }} spacing={0.5}>
          <Typography variant="h2" id="verify-title">
            Project folder check
          </Typography>
          <Typography variant="body2" color="text.secondary">
            Checks the project database and computes a checksum of every file in the folder.
            Progress also appears under Jobs.
          </Typography>
        </Stack>
        <Button
          variant="contained"
          startIcon={<VerifyIcon />}
          onClick={verify}
          disabled={starting || running}
          sx={{ flexShrink: 0 }}
        >
          Verify project folder
        </Button>
      </Stack>
      {error ? <ErrorAlert error={error} sx={{ mx: 3, mb: 2 }} /> : null}
      {jobs.length > 0 ? (
        <>
          <Divider />
          <Stack direction="row" sx={{ px: 2.5, pt: 1.5, alignItems: 'center' }}>
            <Typography variant="overline" color="text.secondary" sx={{ flex: 1 }}>
              Recent checks
            </Typography>
            <Button size="small" onClick={() => setDrawerOpen(true)}>
              All jobs
            </Button>
          </Stack>
          <JobList jobs={jobs.slice(0, RECENT)} onCancel={cancel} label="Recent checks" />
        </>
      ) : null}
    </Paper>
  )
}
