import Step from '@mui/material/Step'
import StepLabel from '@mui/material/StepLabel'
import Stepper from '@mui/material/Stepper'
import Typography from '@mui/material/Typography'
import type { StageView } from './stages-model'
import { activeStep } from './stages-model'

const statusWords: Record<StageView['status'], string> = {
  pending: 'not started',
  active: 'running',
  done: 'done',
  skipped: 'skipped',
  failed: 'failed',
  cancelled: 'cancelled',
}

/** The erase job's five stages; each says whether it is done, running, failed or skipped. */
export function StageStepper(props: { stages: readonly StageView[] }): React.JSX.Element {
  return (
    <Stepper
      activeStep={activeStep(props.stages)}
      alternativeLabel
      aria-label="Stages"
      component="ol"
      sx={{ p: 0, m: 0 }}
    >
      {props.stages.map((s) => {
        const failed = s.status === 'failed' || s.status === 'cancelled'
        return (
          <Step
            key={s.id}
            component="li"
            completed={s.status === 'done'}
            active={s.status === 'active'}
            disabled={s.status === 'skipped'}
            aria-label={`${s.label}: ${statusWords[s.status]}`}
            aria-current={s.status === 'active' ? 'step' : undefined}
            sx={{ listStyle: 'none' }}
          >
            <StepLabel
              error={failed}
              optional={
                s.caption ? (
                  <Typography
                    variant="caption"
                    color={failed ? 'error' : 'text.secondary'}
                    sx={{ display: 'block', textAlign: 'center' }}
                  >
                    {s.caption}
                  </Typography>
                ) : undefined
              }
            >
              {s.label}
            </StepLabel>
          </Step>
        )
      })}
    </Stepper>
  )
}
