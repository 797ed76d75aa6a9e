import Box from '@mui/material/Box'
import Typography from '@mui/material/Typography'
import type { ReactNode } from 'react'
import { monoFontStack } from '../app/theme'

export interface Definition {
  readonly term: string
  readonly value: ReactNode
  /** Monospace (paths, checksums). */
  readonly mono?: boolean
}

/** Terms and values in two columns, as a real `<dl>` (screen readers announce the pairs). */
export function DefinitionList(props: {
  items: readonly Definition[]
  label?: string
  termWidth?: number
}): React.JSX.Element {
  return (
    <Box
      component="dl"
      aria-label={props.label}
      sx={{
        display: 'grid',
        gridTemplateColumns: `${props.termWidth ?? 140}px minmax(0, 1fr)`,
        rowGap: 0.75,
        columnGap: 2,
        m: 0,
      }}
    >
      {props.items.map((item) => (
        <Box key={item.term} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {item.term}
          </Typography>
          <Typography
            component="dd"
            variant="body2"
            sx={{
              m: 0,
              minWidth: 0,
              overflowWrap: 'anywhere',
              fontFamily: item.mono ? monoFontStack : undefined,
              fontSize: item.mono ? '0.8125rem' : undefined,
            }}
          >
            {item.value}
          </Typography>
        </Box>
      ))}
    </Box>
  )
}
