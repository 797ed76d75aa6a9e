import { describe, expect, it } from 'vitest'
import { conceptSchema, erasureParamsSchema, erasureSpecSchema } from '../../../src/shared/contract'

const firstIssue = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.error?.issues[0]

describe('erasure parameters', () => {
  it('fills documented defaults', () => {
    const p = erasureParamsSchema.parse({})
    expect(p).toMatchObject({ variant: 'mining-beyond', lambda1: 0.1, m: 50, n: 50, learningRate: 1e-5, epochs: 200, loraRank: 1 })
  })

  it.each([
    [{ s1: 0.7, s2: 0.9 }, 's2', 'must not exceed S1'],
    [{ d1: 1, d2: 1 }, 'd2', 'larger than D1'],
    [{ d1: 2, d2: 1 }, 'd2', 'larger than D1'],
    [{ m: 0 }, 'm', 'at least 1'],
    [{ n: 0 }, 'n', 'at least 1'],
    [{ m: -1, variant: 'closed-form' }, 'm', 'negative'],
    [{ lambda: 0 }, 'lambda', ''],
    [{ seed: 1.5 }, 'seed', ''],
  ])('rejects %j naming %s', (input, param, text) => {
    const r = erasureParamsSchema.safeParse(input)
    expect(r.success).toBe(false)
    const issue = firstIssue(r)
    expect(issue?.path).toEqual([param])
    expect(issue?.message).toContain(text)
  })

  it('closed-form only needs no samples', () => {
    expect(erasureParamsSchema.safeParse({ variant: 'closed-form', m: 0, n: 0 }).success).toBe(true)
  })

  it('rejects an empty concept and an anchor equal to the concept', () => {
    expect(firstIssue(conceptSchema.safeParse({ concept: '  ' }))?.message).toContain('Name the concept')
    const same = conceptSchema.safeParse({ concept: 'Van Gogh', anchor: 'van gogh' })
    expect(firstIssue(same)?.path).toEqual(['anchor'])
    expect(firstIssue(conceptSchema.safeParse({ concept: 'x', templates: ['no slot'] }))?.message).toContain('{}')
    expect(erasureSpecSchema.safeParse({ concepts: [] }).success).toBe(false)
  })
})
