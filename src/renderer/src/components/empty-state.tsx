import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { ReactNode } from 'react'

/** What a page shows when it has nothing yet: what this is, and what to do next. */
export function EmptyState(props: {
  icon: ReactNode
  title: string
  children: ReactNode
  action?: ReactNode
}): React.JSX.Element {
  return (
    <Paper variant="outlined" sx={{ py: 7, px: 3 }}>
      <Stack spacing={1.5} sx={{ alignItems: 'center', textAlign: 'center' }}>
        <Stack sx={{ color: 'text.secondary', '& svg': { fontSize: 48 } }} aria-hidden>
          {props.icon}
        </Stack>
        <Typography variant="h2">{props.title}</Typography>
        <Typography variant="body2" color="text.secondary" sx={{ maxWidth: 460 }}>
          {props.children}
        </Typography>
        {props.action ? <Stack sx={{ pt: 1 }}>{props.action}</Stack> : null}
      </Stack>
    </Paper>
  )
}
