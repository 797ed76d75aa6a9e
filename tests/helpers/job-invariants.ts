import { expect } from 'vitest'
import type { JobEvent } from '../../src/shared/contract'
import { isTerminal } from '../../src/shared/contract'

/**
 * The job event invariants every job must obey: exactly one terminal state and it comes last;
 * seq strictly increasing; progress steps never decrease within a phase and end at total on
 * success; a result only on success.
 */
export function expectJobInvariants(events: readonly JobEvent[]): void {
  expect(events.length).toBeGreaterThan(0)
  for (let i = 1; i < events.length; i++) {
    expect(events[i]!.seq).toBeGreaterThan(events[i - 1]!.seq)
  }
  expect(events[0]!.seq).toBe(1)
  const terminals = events.filter((e) => e.type === 'state' && isTerminal(e.state))
  expect(terminals).toHaveLength(1)
  const last = events[events.length - 1]!
  expect(last.type).toBe('state')
  const final = last.type === 'state' ? last.state : null
  const progress = events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []))
  for (let i = 1; i < progress.length; i++) {
    const a = progress[i - 1]!
    const b = progress[i]!
    if (a.phase === b.phase) expect(b.step).toBeGreaterThanOrEqual(a.step)
    expect(b.elapsedMs).toBeGreaterThanOrEqual(a.elapsedMs)
  }
  const results = events.filter((e) => e.type === 'result')
  if (final === 'succeeded') {
    expect(results).toHaveLength(1)
    const lastProgress = progress[progress.length - 1]
    if (lastProgress && lastProgress.total !== null) expect(lastProgress.step).toBe(lastProgress.total)
  } else {
    expect(results).toHaveLength(0)
  }
}
