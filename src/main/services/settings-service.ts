import type { Settings } from '../../shared/contract'
import { settingsPatchSchema, settingsSchema } from '../../shared/contract'
import type { SettingsRepo } from '../db/repositories/settings-repo'

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

  set(patch: Partial<Settings>): Settings {
    this.repo.setMany(settingsPatchSchema.parse(patch))
    return this.get()
  }
}
