import type { Shape } from './map-shapes'
import { shapePath } from './map-shapes'

/**
 * Exports the map as one standalone SVG (both panels, a legend, the note on what is exact),
 * and as a PNG drawn from that SVG. `composeMapSvg` is pure; the rest reads the live charts.
 */

export interface SvgPanel {
  /** The chart's own SVG, styles inlined (see `snapshotSvg`), as a complete `<svg>` element. */
  readonly markup: string
  readonly width: number
  readonly height: number
  readonly caption: string
}

export interface LegendKey {
  readonly label: string
  readonly color: string
  /** A marker shape, or a dashed line (rings and bounds). */
  readonly shape: Shape | 'dash'
}

export interface ExportColors {
  readonly background: string
  readonly text: string
  readonly muted: string
}

const PAD = 20
const GAP = 24
const TITLE_H = 28
const CAPTION_H = 22
const LEGEND_ROW = 20

export const escapeXml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')

/** Places the panel's `<svg>` at (x, y), keeping its own viewBox. */
function placed(panel: SvgPanel, x: number, y: number): string {
  const body = panel.markup.replace(/^<svg\b[^>]*>/, '').replace(/<\/svg>\s*$/, '')
  return `<svg x="${x}" y="${y}" width="${panel.width}" height="${panel.height}" viewBox="0 0 ${panel.width} ${panel.height}" overflow="hidden">${body}</svg>`
}

function legendMarkup(
  keys: readonly LegendKey[],
  x0: number,
  y0: number,
  maxWidth: number,
  colors: ExportColors,
  font: string,
): { markup: string; height: number } {
  let x = x0
  let y = y0
  let out = ''
  for (const k of keys) {
    const w = 26 + k.label.length * 6.6
    if (x > x0 && x + w > x0 + maxWidth) {
      x = x0
      y += LEGEND_ROW
    }
    const icon =
      k.shape === 'dash'
        ? `<line x1="${x}" y1="${y}" x2="${x + 16}" y2="${y}" stroke="${k.color}" stroke-width="1.5" stroke-dasharray="4 3"/>`
        : `<path d="${shapePath(k.shape, x + 8, y, 4.5)}" fill="${k.color}"/>`
    out += `${icon}<text x="${x + 22}" y="${y}" dominant-baseline="middle" font-size="12" font-family="${escapeXml(font)}" fill="${colors.text}">${escapeXml(k.label)}</text>`
    x += w + 14
  }
  return { markup: out, height: y - y0 + LEGEND_ROW }
}

/** One standalone SVG document: title, the panels side by side with captions, legend, note. */
export function composeMapSvg(input: {
  title: string
  panels: readonly SvgPanel[]
  legend: readonly LegendKey[]
  note: string
  colors: ExportColors
  font: string
}): { svg: string; width: number; height: number } {
  const { colors, font } = input
  const panelsW =
    input.panels.reduce((s, p) => s + p.width, 0) + GAP * Math.max(0, input.panels.length - 1)
  const width = Math.max(panelsW, 480) + PAD * 2
  const panelsH = Math.max(0, ...input.panels.map((p) => p.height))
  const top = PAD + TITLE_H
  let x = PAD
  let body = ''
  for (const p of input.panels) {
    body += `<text x="${x}" y="${top + 14}" font-size="13" font-weight="600" font-family="${escapeXml(font)}" fill="${colors.text}">${escapeXml(p.caption)}</text>`
    body += placed(p, x, top + CAPTION_H)
    x += p.width + GAP
  }
  const legendTop = top + CAPTION_H + panelsH + 18
  const legend = legendMarkup(input.legend, PAD, legendTop, width - PAD * 2, colors, font)
  const noteY = legendTop + legend.height + 8
  const height = noteY + 16 + PAD
  const svg =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<title>${escapeXml(input.title)}</title>` +
    `<rect width="100%" height="100%" fill="${colors.background}"/>` +
    `<text x="${PAD}" y="${PAD + 16}" font-size="16" font-weight="600" font-family="${escapeXml(font)}" fill="${colors.text}">${escapeXml(input.title)}</text>` +
    body +
    legend.markup +
    `<text x="${PAD}" y="${noteY}" dominant-baseline="hanging" font-size="12" font-family="${escapeXml(font)}" fill="${colors.muted}">${escapeXml(input.note)}</text>` +
    `</svg>`
  return { svg, width, height }
}

/** Presentation properties copied from computed styles, so the file looks like the screen. */
const INLINED = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
] as const

/**
 * A copy of a chart's `<svg>` with the styles its CSS classes give it written onto each element
 * (a standalone file has no stylesheet), and without hidden or interaction-only elements.
 */
export function snapshotSvg(svg: SVGSVGElement): { markup: string; width: number; height: number } {
  const box = svg.getBoundingClientRect()
  const width = Math.round(box.width)
  const height = Math.round(box.height)
  const clone = svg.cloneNode(true) as SVGSVGElement
  const originals = [svg, ...Array.from(svg.querySelectorAll('*'))]
  const copies = [clone, ...Array.from(clone.querySelectorAll('*'))]
  const drop: Element[] = []
  originals.forEach((el, i) => {
    const copy = copies[i]
    if (!copy) return
    const cs = getComputedStyle(el)
    if (cs.display === 'none' || cs.visibility === 'hidden') {
      drop.push(copy)
      return
    }
    for (const prop of INLINED) {
      const v = cs.getPropertyValue(prop)
      if (v) copy.setAttribute(prop, v)
    }
    copy.removeAttribute('class')
  })
  for (const el of drop) el.remove()
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg')
  clone.setAttribute('width', String(width))
  clone.setAttribute('height', String(height))
  clone.setAttribute('viewBox', `0 0 ${width} ${height}`)
  return { markup: new XMLSerializer().serializeToString(clone), width, height }
}

/** Rasterizes an SVG document at `scale`× (crisp on high-density screens). */
export async function svgToPng(
  svg: string,
  width: number,
  height: number,
  scale = 2,
): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }))
  try {
    const img = new Image()
    img.decoding = 'async'
    img.src = url
    await img.decode()
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(width * scale)
    canvas.height = Math.round(height * scale)
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new Error('This window cannot draw images (no 2-D canvas).')
    ctx.scale(scale, scale)
    ctx.drawImage(img, 0, 0, width, height)
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('The PNG could not be encoded.'))),
        'image/png',
      ),
    )
  } finally {
    URL.revokeObjectURL(url)
  }
}

/** Saves a blob through the browser's download (Electron asks where to save it). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}

/** The chart's own `<svg>` in a figure (which also holds small icons, and the tooltip's). */
function largestSvg(root: Element): SVGSVGElement | null {
  let best: SVGSVGElement | null = null
  let area = 0
  for (const svg of Array.from(root.querySelectorAll('svg'))) {
    const r = svg.getBoundingClientRect()
    if (r.width * r.height > area) {
      area = r.width * r.height
      best = svg
    }
  }
  return best
}

/** Every chart figure under `root`, snapshotted, captioned with its figcaption's first line. */
export function collectPanels(root: Element | null): SvgPanel[] {
  return Array.from(root?.querySelectorAll('figure') ?? []).flatMap((figure) => {
    const svg = largestSvg(figure)
    if (!svg) return []
    const spans = Array.from(figure.querySelectorAll('figcaption > span'))
    const caption = spans
      .slice(0, 2)
      .map((s) => s.textContent ?? '')
      .join(' ')
      .trim()
    return [{ ...snapshotSvg(svg), caption }]
  })
}
