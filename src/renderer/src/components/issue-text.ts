/** The members of a zod issue that `issueText` reads (zod 4's issue union, structurally). */
export interface IssueLike {
  readonly code: string
  readonly message: string
  readonly minimum?: unknown
  readonly maximum?: unknown
  readonly inclusive?: unknown
  readonly expected?: unknown
  readonly origin?: unknown
}

/**
 * A zod issue in a field's own words ("D1 must be greater than 0."). Custom issues (the
 * contract's cross-field checks) already name the parameter and the fix, so they are kept.
 */
export function issueText(label: string, issue: IssueLike): string {
  const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''
  const exclusive = issue.inclusive === false
  switch (issue.code) {
    case 'too_small':
      return exclusive
        ? `${label} must be greater than ${String(issue.minimum)}${unit}.`
        : `${label} must be at least ${String(issue.minimum)}${unit}.`
    case 'too_big':
      return exclusive
        ? `${label} must be less than ${String(issue.maximum)}${unit}.`
        : `${label} must be at most ${String(issue.maximum)}${unit}.`
    case 'invalid_type':
      return issue.expected === 'int' ? `${label} must be a whole number.` : issue.message
    default:
      return issue.message
  }
}

/** Reads a typed number: a message when it is blank or not a number, else the value. */
export function parseNumberText(
  label: string,
  text: string,
): { readonly value: number } | { readonly error: string } {
  const trimmed = text.trim()
  if (trimmed === '') return { error: `Enter a value for ${label}.` }
  const value = Number(trimmed)
  if (!Number.isFinite(value)) return { error: `${label} must be a number.` }
  return { value }
}
