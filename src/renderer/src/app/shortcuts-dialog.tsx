import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import Typography from '@mui/material/Typography'
import type { ShortcutId } from './shortcuts'
import { chordKeys, shortcuts } from './shortcuts'

const mac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent)

function Keys(props: { keys: readonly string[] }): React.JSX.Element {
  return (
    <Box component="span" sx={{ display: 'inline-flex', gap: 0.5 }}>
      {props.keys.map((k) => (
        <Box
          key={k}
          component="kbd"
          sx={{
            minWidth: 24,
            px: 0.75,
            py: 0.25,
            border: 1,
            borderColor: 'divider',
            borderBottomWidth: 2,
            borderRadius: 1,
            fontFamily: 'inherit',
            fontSize: '0.8125rem',
            fontWeight: 600,
            textAlign: 'center',
            bgcolor: 'action.hover',
          }}
        >
          {k}
        </Box>
      ))}
    </Box>
  )
}

/** Every shortcut, its keys and where it works; those this page offers now are marked. */
export function ShortcutsDialog(props: {
  available: ReadonlySet<ShortcutId>
  onClose: () => void
}): React.JSX.Element {
  return (
    <Dialog open onClose={props.onClose} aria-labelledby="shortcuts-title" maxWidth="sm" fullWidth>
      <DialogTitle id="shortcuts-title">Keyboard shortcuts</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
          Shortcuts wait while you type in a field. Esc closes a dialog; Tab and Shift+Tab move
          between controls.
        </Typography>
        <Table size="small" aria-label="Keyboard shortcuts">
          <TableHead>
            <TableRow>
              <TableCell sx={{ width: 96 }}>Keys</TableCell>
              <TableCell>Action</TableCell>
              <TableCell>Where</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {shortcuts.map((s) => {
              const here = props.available.has(s.id)
              return (
                <TableRow
                  key={s.id}
                  aria-label={`${s.description}: ${chordKeys(s.chord, mac).join('+')}`}
                >
                  <TableCell>
                    <Keys keys={chordKeys(s.chord, mac)} />
                  </TableCell>
                  <TableCell sx={{ fontWeight: here ? 600 : undefined }}>{s.description}</TableCell>
                  <TableCell sx={{ color: 'text.secondary' }}>
                    {s.where}
                    {here ? null : ' (not on this page)'}
                  </TableCell>
                </TableRow>
              )
            })}
          </TableBody>
        </Table>
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 1.5 }}>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  )
}
