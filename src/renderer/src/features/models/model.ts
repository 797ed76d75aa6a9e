import type { JobSnapshot, Model, ModelFactsInfo, StartJob } from '../../../../shared/contract'
import { formatBytes } from '../../components/format-bytes'

/** Pure view logic of the models section: facts as labelled text, and the register form. */

const versionLabels: Record<ModelFactsInfo['sdVersion'], string> = {
  '1.x': 'SD 1.x',
  '2.x': 'SD 2.x',
  custom: 'Custom',
}

export const versionLabel = (facts: ModelFactsInfo): string => versionLabels[facts.sdVersion]

const kvNamingLabels: Record<ModelFactsInfo['kvNaming'], string> = {
  'node-names': 'found by node names',
  config: 'found through unet/config.json',
  'sd-layout': 'found by the Stable Diffusion layout',
}

const timestepLabels: Record<ModelFactsInfo['timestep'], string> = {
  'int64-batch': 'int64, one per batch item',
  'float-batch': 'float, one per batch item',
  'float-scalar': 'float, a single value',
}

const predictionLabels: Record<ModelFactsInfo['predictionType'], string> = {
  epsilon: 'Noise (epsilon)',
  v_prediction: 'Velocity (v-prediction)',
}

const componentLabels: Readonly<Record<string, string>> = {
  text_encoder: 'Text encoder',
  unet: 'U-Net',
  vae_decoder: 'VAE decoder',
  vae_encoder: 'VAE encoder',
}

/** Sum of the component files' sizes, in bytes. */
export const totalBytes = (facts: ModelFactsInfo): number =>
  Object.values(facts.sizes).reduce((sum, n) => sum + n, 0)

/** "U-Net 5.92 MB · VAE decoder 2.59 MB · …", largest first. */
export function sizeBreakdown(facts: ModelFactsInfo): string {
  return Object.entries(facts.sizes)
    .sort((a, b) => b[1] - a[1])
    .map(([name, bytes]) => `${componentLabels[name] ?? name} ${formatBytes(bytes)}`)
    .join(' · ')
}

export interface FactRow {
  readonly label: string
  readonly value: string
  /** More detail, shown in a tooltip. */
  readonly hint?: string
}

/** The facts a model card lists, in reading order. */
export function factRows(facts: ModelFactsInfo): FactRow[] {
  const layers = facts.crossAttentionLayers
  return [
    {
      label: 'Architecture',
      value: `${versionLabel(facts)} · ${facts.contextDim}-wide text context`,
      hint: `${facts.latentChannels} latent channels; token ids as ${facts.inputIds}`,
    },
    {
      label: 'Cross-attention',
      value: `${layers} ${layers === 1 ? 'layer' : 'layers'}`,
      hint: `Key and value projections ${kvNamingLabels[facts.kvNaming]}`,
    },
    { label: 'Weights', value: facts.dtype },
    { label: 'Timestep', value: timestepLabels[facts.timestep] },
    { label: 'Prediction', value: predictionLabels[facts.predictionType] },
    {
      label: 'Size',
      value: formatBytes(totalBytes(facts)),
      hint: sizeBreakdown(facts),
    },
  ]
}

export interface RegisterForm {
  readonly dir: string
  readonly name: string
}

export const emptyRegisterForm: RegisterForm = { dir: '', name: '' }

export function registerDirError(form: RegisterForm): string | null {
  return form.dir.trim() === '' ? 'Enter the model folder.' : null
}

export function registerNameError(form: RegisterForm): string | null {
  return form.name.trim().length > 120 ? 'Keep the name under 120 characters.' : null
}

/** The job to start; an empty name lets the host use the folder's name. */
export function registerJob(projectId: string, form: RegisterForm): StartJob {
  const name = form.name.trim()
  const job: StartJob = { kind: 'register-model', projectId, dir: form.dir.trim() }
  return name === '' ? job : { ...job, name }
}

export type DroppedFolder =
  | { readonly kind: 'path'; readonly path: string }
  /** Something was dropped but no path can be had (a browser never gives one). */
  | { readonly kind: 'no-path' }
  | { readonly kind: 'nothing' }

/**
 * The path of the first dropped item. `pathForFile` is Electron's `window.studio.pathForFile`;
 * without it (a browser) a drop can only be answered with "type the folder path".
 */
export function droppedFolder(
  files: readonly File[],
  pathForFile: ((file: File) => string) | undefined,
): DroppedFolder {
  const first = files[0]
  if (!first) return { kind: 'nothing' }
  const path = pathForFile?.(first) ?? ''
  return path === '' ? { kind: 'no-path' } : { kind: 'path', path }
}

/**
 * A key that changes whenever a register-model job of the project succeeds, so the list
 * reloads when a model was added here, in another window or from the CLI.
 */
export function registeredKey(jobs: readonly JobSnapshot[]): string {
  return jobs
    .filter((j) => j.kind === 'register-model' && j.state === 'succeeded')
    .map((j) => j.id)
    .join(',')
}

/** Models that can run: their folder is still there. */
export const usableModels = (models: readonly Model[]): Model[] => models.filter((m) => !m.missing)
