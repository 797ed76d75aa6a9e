import Box from '@mui/material/Box'
import Typography from '@mui/material/Typography'
import { monoFontStack } from '../../app/theme'
import type { LogLine } from './use-job-logs'

const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' })

/** The job's log lines as they arrive, newest last, in a scrolling monospace box. */
export function JobLog(props: { lines: readonly LogLine[]; emptyText: string }): React.JSX.Element {
  return (
    <Box
      role="log"
      aria-label="Job log"
      aria-live="polite"
      sx={{
        maxHeight: 160,
        overflowY: 'auto',
        bgcolor: 'action.hover',
        borderRadius: 1,
        px: 1.5,
        py: 1,
        fontFamily: monoFontStack,
        fontSize: '0.8125rem',
      }}
    >
      {props.lines.length === 0 ? (
        <Typography
          variant="body2"
          color="text.secondary"
          sx={{ fontFamily: 'inherit', fontSize: 'inherit' }}
        >
          {props.emptyText}
        </Typography>
      ) : (
        props.lines.map((l) => (
          <Box
            key={l.seq}
            sx={{
              display: 'flex',
              gap: 1.5,
              color: l.level === 'warn' ? 'warning.main' : 'text.primary',
            }}
          >
            <Box component="span" sx={{ color: 'text.secondary', flexShrink: 0 }}>
              {time.format(new Date(l.at))}
            </Box>
            <span>{l.level === 'warn' ? `Warning: ${l.message}` : l.message}</span>
          </Box>
        ))
      )}
    </Box>
  )
}
