/** Runs `fn` `runs` times after `warmup` untimed runs; returns every time in ms and the median. */
export async function timeIt(fn: () => Promise<unknown>, runs: number, warmup = 1): Promise<{ median: number; all: number[] }> {
  for (let i = 0; i < warmup; i++) await fn()
  const all: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    all.push(performance.now() - t)
  }
  const sorted = [...all].sort((a, b) => a - b)
  return { median: sorted[Math.floor(sorted.length / 2)]!, all }
}

export const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`)

export function report(title: string, rows: readonly (readonly [string, string])[]): void {
  console.log(`\n== ${title}`)
  const w = Math.max(...rows.map((r) => r[0].length))
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`)
}

export const peakRssGiB = (): string => {
  const kb = process.resourceUsage().maxRSS
  return `${(kb / 1024 / 1024).toFixed(2)} GiB`
}
