/** A forward-only schema step. `version` is its 1-based position; never edit a shipped one. */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}
