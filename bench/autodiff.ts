import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fmtMs, report } from './timing'
import { sd15Model } from './sd15-model'

interface Run {
  mode: string
  size: number
  ms: number
  buildMs: number
  remat: number
  rssGiB: number
}

function child(dir: string, size: number, mode: 'forward' | 'backward'): Run {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'autodiff-child.ts'), dir, String(size), mode], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return JSON.parse(out.trim().split('\n').pop()!) as Run
}

/**
 * Issue 5's benchmark: the SD1.5-width random U-Net, batch 1, CPU. Forward-only vs forward +
 * backward w.r.t. all 32 K/V weights (our gradient graph in a plain session), each in its own
 * process so peak RSS is per configuration. Forward runs with the studio's inference options
 * ('all'), fwd+bwd with GRADIENT_SESSION_OPTIONS (autodiff/session.ts). For scale (measured on this machine for the issue):
 * PyTorch 1.13 CPU autograd took 26.7 s for fwd+bwd at 64×64 and peaked at 8.6 GiB.
 */
export async function benchAutodiff(): Promise<void> {
  const dir = await sd15Model()
  const rows: [string, string][] = []
  for (const size of [32, 64]) {
    const f = child(dir, size, 'forward')
    const b = child(dir, size, 'backward')
    rows.push([`${size}×${size} forward`, `${fmtMs(f.ms)}, peak RSS ${f.rssGiB.toFixed(2)} GiB`])
    rows.push([`${size}×${size} fwd+bwd (K/V grads)`, `${fmtMs(b.ms)} → ${(b.ms / f.ms).toFixed(2)}× forward (goal ≤ 2.5×), peak RSS ${b.rssGiB.toFixed(2)} GiB, graph built in ${fmtMs(b.buildMs)}, ${b.remat} attention Softmax outputs recomputed`])
    if (size === 64) rows.push(['64×64 vs PyTorch 1.13 autograd (26.7 s)', `${(b.ms / 26_700).toFixed(2)}× (goal ≤ 0.75×)`])
  }
  report('Autodiff: SD1.5-width U-Net, batch 1, CPU', rows)
}
