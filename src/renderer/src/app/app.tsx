import type { StudioClient } from '../api/client'
import { MediaQueryProvider } from '../components/media-context'
import { JobsProvider } from '../features/jobs/use-jobs'
import { SettingsProvider } from '../features/settings/use-settings'
import { AppShell } from './app-shell'
import { ClientProvider } from './client-context'
import type { Route } from './navigation'
import { RouterProvider } from './router'
import { StudioThemeProvider } from './studio-theme-provider'
import { ShortcutsProvider } from './use-shortcuts'

export interface AppProps {
  readonly client: StudioClient
  /** Query string for media URLs (the bridge token); used by pages that show images. */
  readonly mediaQuery: string
  readonly initialRoute?: Route
}

/**
 * State flows one way: the client reaches the host; settings and jobs are app-wide providers
 * (the theme and the top bar depend on them); each page loads what it shows.
 */
export function App(props: AppProps): React.JSX.Element {
  return (
    <ClientProvider value={props.client}>
      <SettingsProvider>
        <StudioThemeProvider>
          <JobsProvider>
            <MediaQueryProvider value={props.mediaQuery}>
              <RouterProvider initial={props.initialRoute}>
                <ShortcutsProvider>
                  <AppShell />
                </ShortcutsProvider>
              </RouterProvider>
            </MediaQueryProvider>
          </JobsProvider>
        </StudioThemeProvider>
      </SettingsProvider>
    </ClientProvider>
  )
}
