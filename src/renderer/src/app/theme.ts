import { alpha, createTheme } from '@mui/material/styles'
import type { Theme } from '@mui/material/styles'
import type { Settings } from '../../../shared/contract'

export type ThemeSetting = Settings['theme']
export type PaletteMode = 'light' | 'dark'

/** 'system' follows the operating system's prefers-color-scheme. */
export function resolvePaletteMode(setting: ThemeSetting, systemPrefersDark: boolean): PaletteMode {
  switch (setting) {
    case 'light':
    case 'dark':
      return setting
    case 'system':
      return systemPrefersDark ? 'dark' : 'light'
  }
}

const fontStack = [
  'system-ui',
  '-apple-system',
  '"Segoe UI"',
  'Roboto',
  '"Helvetica Neue"',
  'Arial',
  'sans-serif',
].join(',')

export const monoFontStack = [
  'ui-monospace',
  'SFMono-Regular',
  '"Cascadia Mono"',
  '"Segoe UI Mono"',
  'Menlo',
  'Consolas',
  'monospace',
].join(',')

/** One theme, two palettes: the same shapes, spacing and component defaults in both. */
export function createStudioTheme(mode: PaletteMode): Theme {
  const dark = mode === 'dark'
  const primary = dark ? '#8b93ff' : '#4450d6'
  return createTheme({
    palette: {
      mode,
      primary: { main: primary },
      secondary: { main: dark ? '#5ec4b6' : '#137a6d' },
      background: dark
        ? { default: '#121418', paper: '#1a1d23' }
        : { default: '#f5f6f8', paper: '#ffffff' },
      divider: dark ? 'rgba(255,255,255,0.09)' : 'rgba(15,23,42,0.10)',
    },
    shape: { borderRadius: 8 },
    typography: {
      fontFamily: fontStack,
      fontSize: 14,
      h1: { fontSize: '1.5rem', fontWeight: 600 },
      h2: { fontSize: '1.125rem', fontWeight: 600 },
      h3: { fontSize: '1rem', fontWeight: 600 },
      button: { textTransform: 'none', fontWeight: 600 },
      overline: { fontWeight: 600, letterSpacing: '0.08em' },
    },
    components: {
      MuiCssBaseline: {
        styleOverrides: { body: { overflow: 'hidden' } },
      },
      MuiButton: { defaultProps: { disableElevation: true } },
      MuiPaper: {
        defaultProps: { elevation: 0 },
        styleOverrides: { outlined: { borderColor: dark ? 'rgba(255,255,255,0.09)' : undefined } },
      },
      MuiAppBar: { defaultProps: { elevation: 0, color: 'inherit' } },
      // Dark mode lightens elevated surfaces with a gradient; the drawer keeps the paper colour.
      MuiDrawer: { styleOverrides: { paper: { backgroundImage: 'none' } } },
      MuiTooltip: { defaultProps: { arrow: true } },
      MuiTableCell: {
        styleOverrides: {
          head: { fontWeight: 600, whiteSpace: 'nowrap' },
        },
      },
      MuiListItemButton: {
        styleOverrides: {
          root: {
            borderRadius: 8,
            '&.Mui-selected': { backgroundColor: alpha(primary, dark ? 0.16 : 0.1) },
            '&.Mui-selected:hover': { backgroundColor: alpha(primary, dark ? 0.22 : 0.14) },
          },
        },
      },
      MuiDialogTitle: { defaultProps: { variant: 'h2' } },
      MuiLinearProgress: { styleOverrides: { root: { borderRadius: 4, height: 6 } } },
    },
  })
}
