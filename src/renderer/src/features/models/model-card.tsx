import GenerateIcon from '@mui/icons-material/AutoAwesomeOutlined'
import DeleteIcon from '@mui/icons-material/DeleteOutlined'
import ModelIcon from '@mui/icons-material/ViewInArOutlined'
import WarningIcon from '@mui/icons-material/WarningAmberOutlined'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Chip from '@mui/material/Chip'
import Divider from '@mui/material/Divider'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import type { Model } from '../../../../shared/contract'
import { FolderPath } from '../../components/folder-path'
import { formatDateTime } from '../../components/format'
import { factRows, versionLabel } from './model'

function Facts(props: { model: Model }): React.JSX.Element {
  return (
    <Box
      component="dl"
      aria-label={`Facts about ${props.model.name}`}
      sx={{ display: 'grid', gridTemplateColumns: '116px minmax(0, 1fr)', rowGap: 0.75, m: 0 }}
    >
      {factRows(props.model.facts).map((row) => (
        <Box key={row.label} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {row.label}
          </Typography>
          <Tooltip title={row.hint ?? ''} placement="bottom-start" enterDelay={400} describeChild>
            <Typography component="dd" variant="body2" noWrap sx={{ m: 0, minWidth: 0 }}>
              {row.value}
            </Typography>
          </Tooltip>
        </Box>
      ))}
    </Box>
  )
}

/** One registered model: its name and folder, what the studio found in it, and its actions. */
export function ModelCard(props: {
  model: Model
  onGenerate: (model: Model) => void
  onRemove: (model: Model) => void
}): React.JSX.Element {
  const { model } = props
  return (
    <Paper
      variant="outlined"
      component="article"
      aria-label={model.name}
      sx={{ display: 'flex', flexDirection: 'column', minWidth: 0 }}
    >
      <Stack direction="row" spacing={1.5} sx={{ p: 2, pb: 1.5, alignItems: 'flex-start' }}>
        <Box
          aria-hidden
          sx={{
            display: 'grid',
            placeItems: 'center',
            width: 36,
            height: 36,
            flexShrink: 0,
            borderRadius: 1.5,
            bgcolor: 'action.hover',
            color: 'primary.main',
          }}
        >
          <ModelIcon fontSize="small" />
        </Box>
        <Stack sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="h3" component="h3" noWrap title={model.name}>
            {model.name}
          </Typography>
          <FolderPath path={model.dir} variant="caption" />
        </Stack>
        <Chip size="small" label={versionLabel(model.facts)} variant="outlined" />
      </Stack>
      {model.missing ? (
        <Tooltip title="Move the folder back, or remove the model and register it again from where it is now.">
          <Chip
            size="small"
            color="warning"
            variant="outlined"
            icon={<WarningIcon />}
            label="Folder missing: this model cannot run"
            tabIndex={0}
            sx={{ mx: 2, mb: 1.5, alignSelf: 'flex-start' }}
          />
        </Tooltip>
      ) : null}
      <Divider />
      <Box sx={{ px: 2, py: 1.5, flex: 1 }}>
        <Facts model={model} />
      </Box>
      <Divider />
      <Stack direction="row" spacing={1} sx={{ px: 2, py: 1, alignItems: 'center' }}>
        <Typography variant="caption" color="text.secondary" sx={{ flex: 1 }} noWrap>
          Registered {formatDateTime(model.createdAt)}
        </Typography>
        <Button
          size="small"
          color="inherit"
          startIcon={<DeleteIcon />}
          onClick={() => props.onRemove(model)}
          aria-label={`Remove ${model.name}`}
        >
          Remove
        </Button>
        <Button
          size="small"
          variant="outlined"
          startIcon={<GenerateIcon />}
          onClick={() => props.onGenerate(model)}
          disabled={model.missing}
          aria-label={`Generate with ${model.name}`}
        >
          Generate
        </Button>
      </Stack>
    </Paper>
  )
}
