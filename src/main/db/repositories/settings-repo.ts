import type { Db } from '../connection'

/** Key/value settings stored as JSON; the settings service owns defaults and validation. */
export class SettingsRepo {
  constructor(private readonly db: Db) {}

  all(): Record<string, unknown> {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as {
      key: string
      value: string
    }[]
    const out: Record<string, unknown> = {}
    for (const r of rows) out[r.key] = JSON.parse(r.value) as unknown
    return out
  }

  setMany(values: Record<string, unknown>): void {
    const put = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    )
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(values)) put.run(k, JSON.stringify(v))
    })()
  }
}
