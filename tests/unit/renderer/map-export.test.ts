// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import {
  composeMapSvg,
  escapeXml,
  snapshotSvg,
} from '../../../src/renderer/src/features/map/map-export'

const colors = { background: '#ffffff', text: '#111111', muted: '#666666' }
const panel = (
  w: number,
  h: number,
  body: string,
): { markup: string; width: number; height: number; caption: string } => ({
  markup: `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${body}</svg>`,
  width: w,
  height: h,
  caption: `Panel ${w}`,
})

describe('map SVG export', () => {
  it('composes one standalone, well-formed document: title, panels side by side, legend, note', () => {
    const doc = composeMapSvg({
      title: 'Erase "van gogh" & co: embedding map (PCA)',
      panels: [
        panel(440, 420, '<circle cx="1" cy="2" r="3"/>'),
        panel(500, 420, '<rect width="4" height="5"/>'),
      ],
      legend: [
        { label: 'Neighbors', color: '#E69F00', shape: 'circle' },
        { label: 'D1 ring', color: '#D55E00', shape: 'dash' },
      ],
      note: 'Distances and cosines are exact; the 2-D projection is not.',
      colors,
      font: 'Roboto, "Helvetica", sans-serif',
    })
    expect(doc.width).toBe(20 + 440 + 24 + 500 + 20)
    const parsed = new DOMParser().parseFromString(doc.svg, 'image/svg+xml')
    expect(parsed.querySelector('parsererror')).toBeNull()
    const root = parsed.documentElement
    expect(root.getAttribute('width')).toBe(String(doc.width))
    expect(root.getAttribute('height')).toBe(String(doc.height))
    expect(root.querySelector('title')?.textContent).toBe(
      'Erase "van gogh" & co: embedding map (PCA)',
    )
    const nested = Array.from(root.children).filter((c) => c.tagName.toLowerCase() === 'svg')
    expect(nested.map((s) => [s.getAttribute('x'), s.getAttribute('viewBox')])).toEqual([
      ['20', '0 0 440 420'],
      ['484', '0 0 500 420'],
    ])
    expect(nested[0]!.querySelector('circle')?.getAttribute('r')).toBe('3')
    expect(nested[1]!.querySelector('rect')?.getAttribute('height')).toBe('5')
    const texts = Array.from(root.querySelectorAll(':scope > text')).map((t) => t.textContent)
    expect(texts).toEqual(
      expect.arrayContaining([
        'Panel 440',
        'Panel 500',
        'Neighbors',
        'D1 ring',
        'Distances and cosines are exact; the 2-D projection is not.',
      ]),
    )
    expect(root.querySelector(':scope > line')?.getAttribute('stroke-dasharray')).toBe('4 3')
    expect(root.querySelector(':scope > path')?.getAttribute('fill')).toBe('#E69F00')
    // The legend and note sit below the panels.
    const note = Array.from(root.querySelectorAll(':scope > text')).at(-1)!
    expect(Number(note.getAttribute('y'))).toBeGreaterThan(20 + 28 + 22 + 420)
  })

  it('escapes text for XML', () => {
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;')
  })

  it('snapshots a live SVG without classes or hidden elements', () => {
    document.body.innerHTML = `
      <style>.tick { fill: rgb(1, 2, 3); }</style>
      <svg class="chart" viewBox="0 0 100 50">
        <text class="tick" x="1" y="2">0.5</text>
        <g style="display: none"><text>hidden</text></g>
        <path d="M0 0L1 1" fill="#E69F00"/>
      </svg>`
    const svg = document.querySelector('svg')!
    const snap = snapshotSvg(svg)
    expect(snap.markup).not.toContain('class=')
    expect(snap.markup).not.toContain('hidden')
    expect(snap.markup).toContain('xmlns="http://www.w3.org/2000/svg"')
    expect(snap.markup).toContain('0.5')
    expect(snap.markup).toContain('d="M0 0L1 1"')
    // The live element is untouched.
    expect(svg.getAttribute('class')).toBe('chart')
  })
})
