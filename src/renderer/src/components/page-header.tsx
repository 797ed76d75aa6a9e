import Box from '@mui/material/Box'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { ReactNode } from 'react'

/** The title row of a page: an h1, an optional line under it, actions on the right. */
export function PageHeader(props: {
  title: string
  subtitle?: ReactNode
  actions?: ReactNode
  before?: ReactNode
}): React.JSX.Element {
  return (
    <Box component="header" sx={{ mb: 3 }}>
      {props.before}
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', minHeight: 40 }}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="h1" noWrap>
            {props.title}
          </Typography>
          {props.subtitle ? (
            <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
              {props.subtitle}
            </Typography>
          ) : null}
        </Box>
        {props.actions ? (
          <Stack direction="row" spacing={1} sx={{ flexShrink: 0 }}>
            {props.actions}
          </Stack>
        ) : null}
      </Stack>
    </Box>
  )
}
