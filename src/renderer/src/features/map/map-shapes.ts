/** Marker shapes, as SVG path data centred on (x, y) with "radius" r: one per point kind. */
export type Shape = 'circle' | 'square' | 'diamond' | 'triangle' | 'triangle-down' | 'star' | 'plus'

const n = (v: number): string => (Math.round(v * 100) / 100).toString()

/** Closed path data for one marker; appended together they draw a whole series in one `<path>`. */
export function shapePath(shape: Shape, x: number, y: number, r: number): string {
  switch (shape) {
    case 'circle':
      return `M${n(x - r)} ${n(y)}a${n(r)} ${n(r)} 0 1 0 ${n(2 * r)} 0a${n(r)} ${n(r)} 0 1 0 ${n(-2 * r)} 0Z`
    case 'square': {
      const s = r * 0.9
      return `M${n(x - s)} ${n(y - s)}h${n(2 * s)}v${n(2 * s)}h${n(-2 * s)}Z`
    }
    case 'diamond': {
      const s = r * 1.3
      return `M${n(x)} ${n(y - s)}l${n(s)} ${n(s)}l${n(-s)} ${n(s)}l${n(-s)} ${n(-s)}Z`
    }
    case 'triangle':
    case 'triangle-down': {
      const s = r * 1.35
      const k = shape === 'triangle' ? 1 : -1
      return `M${n(x)} ${n(y - k * s)}L${n(x + s * 0.866)} ${n(y + k * s * 0.5)}L${n(x - s * 0.866)} ${n(y + k * s * 0.5)}Z`
    }
    case 'star': {
      const outer = r * 1.5
      const inner = outer * 0.45
      let d = ''
      for (let i = 0; i < 10; i++) {
        const rad = i % 2 === 0 ? outer : inner
        const a = -Math.PI / 2 + (i * Math.PI) / 5
        d += `${i === 0 ? 'M' : 'L'}${n(x + rad * Math.cos(a))} ${n(y + rad * Math.sin(a))}`
      }
      return `${d}Z`
    }
    case 'plus': {
      const s = r * 1.25
      const t = s * 0.38
      return `M${n(x - t)} ${n(y - s)}h${n(2 * t)}v${n(s - t)}h${n(s - t)}v${n(2 * t)}h${n(t - s)}v${n(s - t)}h${n(-2 * t)}v${n(t - s)}h${n(t - s)}v${n(-2 * t)}h${n(s - t)}Z`
    }
  }
}
