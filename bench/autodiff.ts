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
 * process so peak RSS is per configuration (the largest over the rounds). Forward runs with the studio's inference options
 * ('all'), fwd+bwd with GRADIENT_SESSION_OPTIONS (autodiff/session.ts). For scale (measured on this machine for the issue):
 * PyTorch 1.13 CPU autograd took 26.7 s for fwd+bwd at 64×64 and peaked at 8.6 GiB.
 */
export async function benchAutodiff(): Promise<void> {
  const dir = await sd15Model()
  const rows: [string, string][] = []
  // Forward and fwd+bwd alternate for AUTODIFF_ROUNDS rounds (default 2), each keeping the best
  // of its runs: a slow spell of the shared machine then hits both sides, not one.
  const rounds = Math.max(1, Number(process.env.AUTODIFF_ROUNDS ?? 2))
  const best = (a: Run | null, b: Run): Run =>
    a === null ? b : { ...b, ms: Math.min(a.ms, b.ms), rssGiB: Math.max(a.rssGiB, b.rssGiB) }
  for (const size of [32, 64]) {
    let f: Run | null = null
    let b: Run | null = null
    for (let r = 0; r < rounds; r++) {
      f = best(f, child(dir, size, 'forward'))
      b = best(b, child(dir, size, 'backward'))
    }
    if (f === null || b === null) throw new Error('no benchmark rounds ran')
    rows.push([`${size}×${size} forward`, `${fmtMs(f.ms)}, peak RSS ${f.rssGiB.toFixed(2)} GiB`])
    rows.push([`${size}×${size} fwd+bwd (K/V grads)`, `${fmtMs(b.ms)} → ${(b.ms / f.ms).toFixed(2)}× forward (goal ≤ 2.5×), peak RSS ${b.rssGiB.toFixed(2)} GiB, graph built in ${fmtMs(b.buildMs)}, ${b.remat} attention Softmax outputs recomputed`])
    if (size === 64) rows.push(['64×64 vs PyTorch 1.13 autograd (26.7 s)', `${(b.ms / 26_700).toFixed(2)}× (goal ≤ 0.75×)`])
  }
  report(`Autodiff: SD1.5-width U-Net, batch 1, CPU (best of ${rounds} alternating rounds × 3 runs)`, rows)
}
