import LogoIcon from '@mui/icons-material/AutoFixHigh'
import AppBar from '@mui/material/AppBar'
import Box from '@mui/material/Box'
import Toolbar from '@mui/material/Toolbar'
import Typography from '@mui/material/Typography'
import { JobsButton } from '../features/jobs/jobs-button'

export function TopBar(): React.JSX.Element {
  return (
    <AppBar
      position="static"
      sx={{ borderBottom: 1, borderColor: 'divider', bgcolor: 'background.paper' }}
    >
      <Toolbar variant="dense" sx={{ gap: 1.5, minHeight: 52 }}>
        <Box
          aria-hidden
          sx={{
            display: 'grid',
            placeItems: 'center',
            width: 28,
            height: 28,
            borderRadius: 1.5,
            bgcolor: 'primary.main',
            color: 'primary.contrastText',
          }}
        >
          <LogoIcon sx={{ fontSize: 18 }} />
        </Box>
        <Typography variant="subtitle1" component="div" sx={{ fontWeight: 700, flex: 1 }}>
          RealEra Studio
        </Typography>
        <JobsButton />
      </Toolbar>
    </AppBar>
  )
}
