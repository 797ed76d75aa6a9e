import Box from '@mui/material/Box'
import FormControlLabel from '@mui/material/FormControlLabel'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import { alpha, useTheme } from '@mui/material/styles'
import Switch from '@mui/material/Switch'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import type { Experiment } from '../../../../shared/contract'
import { LineChart } from '../../components/line-chart'
import { defaultLogScale, hasLoss, lossDescription, lossSeries } from './loss-model'

/** One legend entry: a short stroke (with a dot for the held-out curve) and its meaning. */
function Key(props: {
  color: string
  width: number
  dot?: boolean
  children: React.ReactNode
}): React.JSX.Element {
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <svg width={28} height={12} aria-hidden>
        <line x1={2} x2={26} y1={6} y2={6} stroke={props.color} strokeWidth={props.width} />
        {props.dot ? (
          <circle cx={14} cy={6} r={3.5} fill="none" stroke={props.color} strokeWidth={2} />
        ) : null}
      </svg>
      <Typography variant="body2">{props.children}</Typography>
    </Stack>
  )
}

/**
 * The full variant's LoRA training loss: per-step loss (thin, muted) and the held-out loss on
 * fixed timesteps (bold, with markers). It grows while the run trains (the page refetches).
 */
export function LossChart(props: { experiment: Experiment; training: boolean }): React.JSX.Element {
  const theme = useTheme()
  const series = lossSeries(props.experiment)
  const [log, setLog] = useState<boolean | null>(null)
  const logY = log ?? defaultLogScale(series)
  const muted = alpha(theme.palette.text.secondary, 0.55)
  const strong = theme.palette.primary.main
  const total = props.experiment.params.epochs

  return (
    <Paper variant="outlined" component="section" aria-labelledby="loss-title" sx={{ p: 3 }}>
      <Stack direction="row" sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="h2" id="loss-title" sx={{ flex: 1 }}>
          LoRA training loss
        </Typography>
        <FormControlLabel
          control={
            <Switch size="small" checked={logY} onChange={(e) => setLog(e.target.checked)} />
          }
          label="Log scale"
        />
      </Stack>
      {hasLoss(series) ? (
        <LineChart
          title={`LoRA training loss over ${series.train.length} of ${total} steps`}
          description={lossDescription(series)}
          xLabel="Training step"
          yLabel="Loss"
          logY={logY}
          series={[
            {
              id: 'train',
              label: 'Per-step loss',
              points: series.train,
              color: muted,
              width: 1,
            },
            {
              id: 'eval',
              label: 'Held-out loss',
              points: series.evals,
              color: strong,
              width: 2.5,
              markers: true,
            },
          ]}
        />
      ) : (
        <Box
          sx={{
            height: 120,
            display: 'grid',
            placeItems: 'center',
            bgcolor: 'action.hover',
            borderRadius: 1,
          }}
        >
          <Typography variant="body2" color="text.secondary" role="status">
            {props.training
              ? 'The curve appears with the first training steps.'
              : 'No training steps were recorded.'}
          </Typography>
        </Box>
      )}
      <Stack
        direction="row"
        spacing={3}
        sx={{ mt: 1.5, flexWrap: 'wrap', rowGap: 1 }}
        aria-label="Legend"
        role="group"
      >
        <Key color={strong} width={2.5} dot>
          Held-out loss on fixed timesteps
        </Key>
        <Key color={muted} width={1}>
          Per-step loss
        </Key>
      </Stack>
      <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
        Held-out loss on fixed timesteps shows the trend; per-step loss varies with the sampled
        timestep.
      </Typography>
    </Paper>
  )
}
