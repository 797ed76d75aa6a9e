import Stack from '@mui/material/Stack'
import ToggleButton from '@mui/material/ToggleButton'
import Tooltip from '@mui/material/Tooltip'
import type { PointKind } from '../../../../shared/contract'
import { RING_COLORS } from './d-rings'
import { kindStyles, legendKinds } from './map-model'
import { shapePath } from './map-shapes'

function Swatch(props: { kind: PointKind }): React.JSX.Element {
  const s = kindStyles[props.kind]
  return (
    <svg width={16} height={16} aria-hidden style={{ flex: 'none' }}>
      <path d={shapePath(s.shape, 8, 8, 5)} fill={s.color} />
    </svg>
  )
}

function RingSwatch(): React.JSX.Element {
  return (
    <svg width={22} height={16} aria-hidden style={{ flex: 'none' }}>
      <circle cx={11} cy={8} r={7} fill="none" stroke={RING_COLORS.d2} strokeDasharray="2 2" />
      <circle cx={11} cy={8} r={4} fill="none" stroke={RING_COLORS.d1} strokeDasharray="3 2" />
    </svg>
  )
}

/**
 * The legend is the layer switch: one toggle button per kind (pressed = shown), with its shape,
 * colour and count, and one for the D1/D2 rings where the projection allows them. Its hints
 * never take the pointer (`disableInteractive`): one still open must not cover the chart.
 */
export function MapLegend(props: {
  counts: Readonly<Record<PointKind, number>>
  hidden: ReadonlySet<PointKind>
  onToggle: (kind: PointKind) => void
  /** Null: the projection has no rings (UMAP). */
  rings: { shown: boolean; onToggle: () => void } | null
}): React.JSX.Element {
  return (
    <Stack direction="row" role="group" aria-label="Layers" sx={{ flexWrap: 'wrap', gap: 1 }}>
      {legendKinds.map((kind) => {
        const n = props.counts[kind]
        const shown = !props.hidden.has(kind)
        return (
          <Tooltip key={kind} title={kindStyles[kind].help} disableInteractive>
            <span>
              <ToggleButton
                value={kind}
                size="small"
                selected={shown && n > 0}
                disabled={n === 0}
                onChange={() => props.onToggle(kind)}
                aria-label={`${kindStyles[kind].label} (${n.toLocaleString('en-US')})`}
                sx={{ gap: 0.75, textTransform: 'none', py: 0.25, opacity: shown ? 1 : 0.6 }}
              >
                <Swatch kind={kind} />
                {kindStyles[kind].label}
                <span style={{ opacity: 0.7 }}>{n.toLocaleString('en-US')}</span>
              </ToggleButton>
            </span>
          </Tooltip>
        )
      })}
      {props.rings ? (
        <Tooltip
          title="D1 and D2 around each erasure embedding e: every neighbor lies inside its D1 ring."
          disableInteractive
        >
          <ToggleButton
            value="rings"
            size="small"
            selected={props.rings.shown}
            onChange={props.rings.onToggle}
            aria-label="D1 and D2 rings"
            sx={{ gap: 0.75, textTransform: 'none', py: 0.25 }}
          >
            <RingSwatch />
            D1 / D2 rings
          </ToggleButton>
        </Tooltip>
      ) : null}
    </Stack>
  )
}
