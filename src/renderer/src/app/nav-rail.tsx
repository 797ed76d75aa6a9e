import FolderIcon from '@mui/icons-material/FolderOutlined'
import SettingsIcon from '@mui/icons-material/SettingsOutlined'
import Box from '@mui/material/Box'
import List from '@mui/material/List'
import ListItemButton from '@mui/material/ListItemButton'
import ListItemIcon from '@mui/material/ListItemIcon'
import ListItemText from '@mui/material/ListItemText'
import type { NavId } from './navigation'
import { navIdFor, navItems } from './navigation'
import { useRouter } from './router'

const icons: Record<NavId, React.JSX.Element> = {
  projects: <FolderIcon />,
  settings: <SettingsIcon />,
}

export const NAV_WIDTH = 216

/** The left navigation: one entry per top-level page. */
export function NavRail(): React.JSX.Element {
  const { route, navigate } = useRouter()
  const current = navIdFor(route)
  return (
    <Box
      component="nav"
      aria-label="Main"
      sx={{
        width: NAV_WIDTH,
        flexShrink: 0,
        borderRight: 1,
        borderColor: 'divider',
        bgcolor: 'background.paper',
        p: 1.5,
        overflowY: 'auto',
      }}
    >
      <List disablePadding sx={{ display: 'grid', gap: 0.5 }}>
        {navItems.map((item) => {
          const selected = item.id === current
          return (
            <ListItemButton
              key={item.id}
              selected={selected}
              aria-current={selected ? 'page' : undefined}
              onClick={() => navigate(item.route)}
              sx={{ py: 0.75 }}
            >
              <ListItemIcon sx={{ minWidth: 36, color: selected ? 'primary.main' : undefined }}>
                {icons[item.id]}
              </ListItemIcon>
              <ListItemText
                primary={item.label}
                slotProps={{
                  primary: { variant: 'body2', sx: { fontWeight: selected ? 600 : 500 } },
                }}
              />
            </ListItemButton>
          )
        })}
      </List>
    </Box>
  )
}
