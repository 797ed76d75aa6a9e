import { StudioError } from '../../shared/errors'

/** Parses a numeric flag with a message that names it. */
export function numberFlag(name: string, value: string | undefined, fallback: number, opts: { integer?: boolean } = {}): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isFinite(n) || (opts.integer === true && !Number.isInteger(n))) {
    throw new StudioError('invalid-input', `--${name} must be ${opts.integer === true ? 'a whole number' : 'a number'} (got "${value}").`)
  }
  return n
}

export function requireFlag(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new StudioError('invalid-input', `--${name} is required.`)
  return value
}

/** A one-line progress display on stderr (kept off stdout so --json stays clean). */
export function progressPrinter(enabled: boolean): (p: { phase: string; step: number; total: number | null }) => void {
  let last = ''
  return (p) => {
    if (!enabled) return
    const text = p.total === null ? `${p.phase}…` : `${p.phase} ${p.step}/${p.total}`
    if (text === last) return
    last = text
    process.stderr.write(`\r${text.padEnd(40)}`)
    if (p.total !== null && p.step >= p.total) process.stderr.write('\n')
  }
}
