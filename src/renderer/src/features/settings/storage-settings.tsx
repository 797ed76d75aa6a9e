import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import type { Settings } from '../../../../shared/contract'
import { useCapabilities } from '../../app/use-capabilities'
import { ErrorAlert } from '../../components/error-alert'
import { FolderField } from '../../components/folder-field'
import { validateFolder } from './model'
import { SettingsSection } from './settings-section'
import { useSaveSetting } from './use-save-setting'

export function StorageSettings(props: { settings: Settings }): React.JSX.Element {
  const caps = useCapabilities()
  const { save, saving, saved, error, reset } = useSaveSetting()
  const [dir, setDir] = useState(props.settings.defaultProjectDir)
  const invalid = validateFolder(dir)
  const dirty = dir.trim() !== props.settings.defaultProjectDir
  return (
    <SettingsSection
      title="Projects"
      description="New projects are created inside this folder unless you choose another one."
    >
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (!invalid && dirty) void save({ defaultProjectDir: dir.trim() })
        }}
      >
        <Stack spacing={1.5}>
          <FolderField
            label="Default project folder"
            value={dir}
            onChange={(v) => {
              setDir(v)
              reset()
            }}
            nativeDialogs={caps.nativeDialogs}
            dialogTitle="Default folder for new projects"
            error={dir === '' ? invalid : null}
          />
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <Button
              type="submit"
              variant="contained"
              disabled={!dirty || invalid !== null || saving}
            >
              Save folder
            </Button>
            {saved && !dirty ? (
              <Typography variant="body2" color="text.secondary" role="status">
                Saved.
              </Typography>
            ) : null}
          </Stack>
          <ErrorAlert error={error} />
        </Stack>
      </form>
    </SettingsSection>
  )
}
