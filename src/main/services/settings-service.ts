import type { Settings } from '../../shared/contract'
import { settingsPatchSchema, settingsSchema } from '../../shared/contract'
import type { SettingsRepo } from '../db/repositories/settings-repo'
import { ensureWritableFolder } from '../util/writable-folder'

/** Settings with defaults; stored values that no longer validate fall back to the default. */
export class SettingsService {
  constructor(
    private readonly repo: SettingsRepo,
    private readonly defaults: Settings,
  ) {}

  get(): Settings {
    const stored = this.repo.all()
    const merged: Record<string, unknown> = { ...this.defaults }
    for (const [key, value] of Object.entries(stored)) {
      const one = settingsPatchSchema.safeParse({ [key]: value })
      if (one.success) merged[key] = value
    }
    return settingsSchema.parse(merged)
  }

  /** A default project folder is checked when saved, not at the next project creation. */
  async set(patch: Partial<Settings>): Promise<Settings> {
    const parsed = settingsPatchSchema.parse(patch)
    if (parsed.defaultProjectDir !== undefined) await ensureWritableFolder(parsed.defaultProjectDir)
    this.repo.setMany(parsed)
    return this.get()
  }
}
