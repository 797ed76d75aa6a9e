import os from 'node:os'
import path from 'node:path'

/** Everything the engine host needs to know about where it runs. */
export interface HostConfig {
  /** App-level folder: the project catalog, settings, job history. */
  readonly dataDir: string
  /** Where new projects go unless the user picks another folder. */
  readonly defaultProjectsDir: string
  /** Paces the demo job (testing and demos only). */
  readonly demoStepDelayMs: number
  readonly runtime: 'electron' | 'node'
  readonly version: string
}

export const defaultDataDir = (): string => {
  const home = os.homedir()
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? home, 'RealEra Studio')
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'RealEra Studio')
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'realera-studio')
}

/**
 * Read from the environment, so main, the bridge, the CLI and tests start the same host with
 * different folders: REALERA_DATA_DIR, REALERA_PROJECTS_DIR, REALERA_DEMO_STEP_MS.
 */
export function hostConfigFromEnv(env: NodeJS.ProcessEnv = process.env): HostConfig {
  const dataDir = path.resolve(env.REALERA_DATA_DIR ?? defaultDataDir())
  return {
    dataDir,
    defaultProjectsDir: path.resolve(env.REALERA_PROJECTS_DIR ?? path.join(os.homedir(), 'RealEra Projects')),
    demoStepDelayMs: Math.max(0, Number(env.REALERA_DEMO_STEP_MS ?? 0) || 0),
    runtime: env.REALERA_RUNTIME === 'electron' ? 'electron' : 'node',
    version: env.REALERA_VERSION ?? '0.1.0',
  }
}
