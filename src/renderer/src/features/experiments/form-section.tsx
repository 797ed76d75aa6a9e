import Box from '@mui/material/Box'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { ReactNode } from 'react'
import { useId } from 'react'

/** A titled card of the experiment form; the title labels the region for screen readers. */
export function FormSection(props: {
  title: string
  description?: ReactNode
  actions?: ReactNode
  children: ReactNode
}): React.JSX.Element {
  const id = useId()
  return (
    <Paper variant="outlined" component="section" aria-labelledby={id} sx={{ p: 3 }}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start', mb: 2.5 }}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="h2" id={id}>
            {props.title}
          </Typography>
          {props.description ? (
            <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
              {props.description}
            </Typography>
          ) : null}
        </Box>
        {props.actions}
      </Stack>
      {props.children}
    </Paper>
  )
}
