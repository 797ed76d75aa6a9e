import DarkModeIcon from '@mui/icons-material/DarkMode'
import LightModeIcon from '@mui/icons-material/LightMode'
import SettingsBrightnessIcon from '@mui/icons-material/SettingsBrightness'
import Stack from '@mui/material/Stack'
import ToggleButton from '@mui/material/ToggleButton'
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup'
import Typography from '@mui/material/Typography'
import type { Settings } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/error-alert'
import { isThemeSetting, themeOptions } from './model'
import { SettingsSection } from './settings-section'
import { useSaveSetting } from './use-save-setting'

const icons: Record<Settings['theme'], React.JSX.Element> = {
  light: <LightModeIcon fontSize="small" />,
  dark: <DarkModeIcon fontSize="small" />,
  system: <SettingsBrightnessIcon fontSize="small" />,
}

export function AppearanceSettings(props: { settings: Settings }): React.JSX.Element {
  const { save, error } = useSaveSetting()
  return (
    <SettingsSection title="Appearance">
      <Stack spacing={1}>
        <Typography variant="subtitle2" id="theme-label">
          Theme
        </Typography>
        <ToggleButtonGroup
          exclusive
          size="small"
          color="primary"
          value={props.settings.theme}
          aria-labelledby="theme-label"
          onChange={(_e, value: unknown) => {
            if (isThemeSetting(value)) void save({ theme: value })
          }}
        >
          {themeOptions.map((o) => (
            <ToggleButton key={o.value} value={o.value} sx={{ px: 2, gap: 1 }}>
              {icons[o.value]}
              {o.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        <Typography variant="body2" color="text.secondary">
          System follows your operating system&apos;s light or dark setting.
        </Typography>
      </Stack>
      <ErrorAlert error={error} />
    </SettingsSection>
  )
}
