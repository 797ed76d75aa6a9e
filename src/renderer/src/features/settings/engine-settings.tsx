import Button from '@mui/material/Button'
import MenuItem from '@mui/material/MenuItem'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import type { Settings } from '../../../../shared/contract'
import { ErrorAlert } from '../../components/error-alert'
import { describeThreads, isProviderChoice, parseThreads, providerOptions } from './model'
import { SettingsSection } from './settings-section'
import { useSaveSetting } from './use-save-setting'

export function EngineSettings(props: { settings: Settings }): React.JSX.Element {
  const provider = useSaveSetting()
  const threads = useSaveSetting()
  const [threadsText, setThreadsText] = useState(String(props.settings.threads))
  const parsed = parseThreads(threadsText)
  const dirty = parsed.ok ? parsed.value !== props.settings.threads : true
  return (
    <SettingsSection
      title="Engine"
      description="How ONNX Runtime runs the models. Changes apply to the next job."
    >
      <Stack spacing={1}>
        <TextField
          select
          label="Execution provider"
          value={props.settings.executionProvider}
          onChange={(e) => {
            if (isProviderChoice(e.target.value)) {
              void provider.save({ executionProvider: e.target.value })
            }
          }}
          size="small"
          sx={{ maxWidth: 360 }}
          helperText="If the chosen provider is not available, jobs run on the CPU and say why."
        >
          {providerOptions.map((o) => (
            <MenuItem key={o.value} value={o.value}>
              {o.label}
            </MenuItem>
          ))}
        </TextField>
        <ErrorAlert error={provider.error} />
      </Stack>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (parsed.ok && dirty) void threads.save({ threads: parsed.value })
        }}
      >
        <Stack spacing={1.5}>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
            <TextField
              label="Threads"
              value={threadsText}
              onChange={(e) => {
                setThreadsText(e.target.value)
                threads.reset()
              }}
              error={!parsed.ok}
              helperText={parsed.ok ? describeThreads(parsed.value) : parsed.error}
              size="small"
              sx={{ width: 360 }}
              slotProps={{ htmlInput: { inputMode: 'numeric' } }}
            />
            <Button
              type="submit"
              variant="contained"
              disabled={!parsed.ok || !dirty || threads.saving}
              sx={{ height: 40 }}
            >
              Save threads
            </Button>
          </Stack>
          {threads.saved && !dirty ? (
            <Typography variant="body2" color="text.secondary" role="status">
              Saved.
            </Typography>
          ) : null}
          <ErrorAlert error={threads.error} />
        </Stack>
      </form>
    </SettingsSection>
  )
}
