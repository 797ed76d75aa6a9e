import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import { ErrorAlert } from '../../components/error-alert'
import { PageHeader } from '../../components/page-header'
import { AboutSection } from './about-section'
import { AppearanceSettings } from './appearance-settings'
import { EngineSettings } from './engine-settings'
import { StorageSettings } from './storage-settings'
import { useSettings } from './use-settings'

export function SettingsPage(): React.JSX.Element {
  const { settings, loadError } = useSettings()
  return (
    <>
      <PageHeader title="Settings" subtitle="Saved on this computer and used by every project." />
      <Stack spacing={3}>
        <ErrorAlert error={loadError} title="Could not load the settings." />
        {settings ? (
          <>
            <AppearanceSettings settings={settings} />
            <StorageSettings settings={settings} />
            <EngineSettings settings={settings} />
          </>
        ) : loadError ? null : (
          <Skeleton variant="rounded" height={240} aria-label="Loading settings" />
        )}
        <AboutSection />
      </Stack>
    </>
  )
}
