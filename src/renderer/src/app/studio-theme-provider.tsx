import CssBaseline from '@mui/material/CssBaseline'
import { ThemeProvider } from '@mui/material/styles'
import useMediaQuery from '@mui/material/useMediaQuery'
import { useMemo } from 'react'
import type { ReactNode } from 'react'
import { useSettings } from '../features/settings/use-settings'
import { createStudioTheme, resolvePaletteMode } from './theme'

/** Applies the theme setting; 'system' (and the time before settings load) follows the OS. */
export function StudioThemeProvider(props: { children: ReactNode }): React.JSX.Element {
  const setting = useSettings().settings?.theme ?? 'system'
  const prefersDark = useMediaQuery('(prefers-color-scheme: dark)', { noSsr: true })
  const mode = resolvePaletteMode(setting, prefersDark)
  const theme = useMemo(() => createStudioTheme(mode), [mode])
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline enableColorScheme />
      {props.children}
    </ThemeProvider>
  )
}
