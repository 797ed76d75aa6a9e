import LogoIcon from '@mui/icons-material/AutoFixHigh'
import KeyboardIcon from '@mui/icons-material/KeyboardOutlined'
import AppBar from '@mui/material/AppBar'
import Box from '@mui/material/Box'
import IconButton from '@mui/material/IconButton'
import Toolbar from '@mui/material/Toolbar'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import { JobsButton } from '../features/jobs/jobs-button'
import { useShortcutsHelp } from './use-shortcuts'

export function TopBar(): React.JSX.Element {
  const openHelp = useShortcutsHelp()
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
        <Tooltip title="Keyboard shortcuts (?)">
          <IconButton
            color="inherit"
            aria-label="Keyboard shortcuts"
            aria-keyshortcuts="?"
            onClick={openHelp}
          >
            <KeyboardIcon />
          </IconButton>
        </Tooltip>
        <JobsButton />
      </Toolbar>
    </AppBar>
  )
}
