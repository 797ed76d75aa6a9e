import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import type { TypographyProps } from '@mui/material/Typography'
import { monoFontStack } from '../app/theme'

/** A file-system path in monospace, truncated with an ellipsis; the full path in a tooltip. */
export function FolderPath(props: {
  path: string
  variant?: TypographyProps['variant']
  color?: string
}): React.JSX.Element {
  return (
    <Tooltip title={props.path} placement="bottom-start" enterDelay={600}>
      <Typography
        variant={props.variant ?? 'body2'}
        color={props.color ?? 'text.secondary'}
        noWrap
        sx={{ fontFamily: monoFontStack, fontSize: '0.8125rem', minWidth: 0 }}
      >
        {props.path}
      </Typography>
    </Tooltip>
  )
}
