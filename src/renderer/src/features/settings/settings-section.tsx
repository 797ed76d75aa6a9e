import Divider from '@mui/material/Divider'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useId } from 'react'
import type { ReactNode } from 'react'

/** One titled group of settings, labelled for assistive technology by its heading. */
export function SettingsSection(props: {
  title: string
  description?: string
  children: ReactNode
}): React.JSX.Element {
  const id = useId()
  return (
    <Paper variant="outlined" component="section" aria-labelledby={id}>
      <Stack spacing={0.5} sx={{ px: 3, pt: 2.5, pb: 2 }}>
        <Typography variant="h2" id={id}>
          {props.title}
        </Typography>
        {props.description ? (
          <Typography variant="body2" color="text.secondary">
            {props.description}
          </Typography>
        ) : null}
      </Stack>
      <Divider />
      <Stack spacing={3} sx={{ px: 3, py: 2.5 }}>
        {props.children}
      </Stack>
    </Paper>
  )
}
