import Divider from '@mui/material/Divider'
import Box from '@mui/material/Box'
import { Fragment } from 'react'
import type { JobSnapshot } from '../../../../shared/contract'
import { JobItem } from './job-item'

export function JobList(props: {
  jobs: readonly JobSnapshot[]
  onCancel: (jobId: string) => Promise<unknown>
  label: string
}): React.JSX.Element {
  return (
    <Box component="ul" aria-label={props.label} sx={{ m: 0, p: 0 }}>
      {props.jobs.map((job, i) => (
        <Fragment key={job.id}>
          {i > 0 ? <Divider component="li" aria-hidden /> : null}
          <JobItem job={job} onCancel={props.onCancel} />
        </Fragment>
      ))}
    </Box>
  )
}
