import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Preset } from '../../shared/contract/presets'
import { presetSchema } from '../../shared/contract/presets'

/**
 * The shipped `resources/` folder: next to the repository root in development and the built
 * app (out/main → ../../resources), or under Electron's resourcesPath when packaged.
 */
export function resourcesDir(): string {
  const packaged = (process as { resourcesPath?: string }).resourcesPath
  const candidates = [
    ...(packaged ? [path.join(packaged, 'resources')] : []),
    path.resolve(__dirname, '..', '..', 'resources'),
    path.resolve(__dirname, '..', '..', '..', 'resources'),
  ]
  const found = candidates.find((c) => existsSync(path.join(c, 'presets')))
  if (!found) throw new Error(`resources/presets not found (looked in ${candidates.join(', ')})`)
  return found
}

let cached: Preset[] | null = null

export function loadPresets(): Preset[] {
  if (cached) return cached
  const dir = path.join(resourcesDir(), 'presets')
  cached = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => presetSchema.parse(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))))
  return cached
}

export function findPreset(id: string): Preset {
  const p = loadPresets().find((x) => x.id === id)
  if (!p) throw new Error(`Unknown preset "${id}"; choose one of ${loadPresets().map((x) => x.id).join(', ')}.`)
  return p
}
