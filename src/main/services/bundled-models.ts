import { existsSync } from 'node:fs'
import path from 'node:path'
import { StudioError } from '../../shared/errors'
import { resourcesDir } from './presets'

/** What `--model shapeworld` and the demo project name: the model shipped with the app. */
export const SHAPEWORLD_REF = 'shapeworld'

export interface BundledModel {
  /** Shown to people and used as the registered model's name. */
  readonly name: string
  /** Where the diffusers folder is (or would be). */
  readonly dir: string
  /** Whether the folder holds a model (its `model_index.json`). */
  readonly installed: boolean
}

/**
 * The ShapeWorld model (issue #8) in `resources/shapeworld`, found as the presets are (next to
 * the repository root in development and the built app, under `process.resourcesPath` when
 * packaged). REALERA_BUNDLED_SHAPEWORLD names another folder (tests, a freshly trained model).
 */
export function bundledShapeWorld(env: NodeJS.ProcessEnv = process.env): BundledModel {
  const override = env.REALERA_BUNDLED_SHAPEWORLD
  const dir = override ? path.resolve(override) : path.join(shippedResources(), 'shapeworld')
  return { name: 'ShapeWorld', dir, installed: existsSync(path.join(dir, 'model_index.json')) }
}

/** `resources/`, or where it would be in this checkout when even the presets are missing. */
function shippedResources(): string {
  try {
    return resourcesDir()
  } catch {
    return path.resolve(__dirname, '..', '..', '..', 'resources')
  }
}

/** Whether a model argument names the bundled model rather than a folder. */
export const isShapeWorldRef = (ref: string | undefined): boolean => ref?.trim().toLowerCase() === SHAPEWORLD_REF

/**
 * A model folder as a person names it: `shapeworld` is the bundled model (a folder of that
 * name is `./shapeworld`), anything else a path. Throws, saying how to get it, when the
 * bundled model is not installed.
 */
export function resolveModelRef(ref: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!isShapeWorldRef(ref)) return ref
  const m = bundledShapeWorld(env)
  if (!m.installed) {
    throw new StudioError(
      'not-found',
      `The bundled ShapeWorld model is not installed (no model_index.json in ${m.dir}). Train it with \`npm run train:shapeworld\` and copy its model/ folder there, set REALERA_BUNDLED_SHAPEWORLD to a ShapeWorld folder, or give a model folder instead (./shapeworld for a folder of that name).`,
    )
  }
  return m.dir
}
