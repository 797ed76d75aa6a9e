import { describe, expect, it } from 'vitest'
import type { JobSnapshot, ModelFactsInfo } from '../../../src/shared/contract'
import { formatBytes } from '../../../src/renderer/src/components/format-bytes'
import {
  droppedFolder,
  factRows,
  registerDirError,
  registeredKey,
  registerJob,
  registerNameError,
  sizeBreakdown,
  totalBytes,
  versionLabel,
} from '../../../src/renderer/src/features/models/model'

const facts: ModelFactsInfo = {
  sdVersion: '1.x',
  contextDim: 768,
  latentChannels: 4,
  crossAttentionLayers: 16,
  kvNaming: 'sd-layout',
  dtype: 'float16',
  timestep: 'float-batch',
  inputIds: 'int32',
  predictionType: 'v_prediction',
  hasVaeEncoder: true,
  sizes: { text_encoder: 246_000_000, unet: 1_721_000_000, vae_decoder: 99_000_000 },
}

const job = (id: string, kind: JobSnapshot['kind'], state: JobSnapshot['state']): JobSnapshot => ({
  id,
  kind,
  projectId: 'p',
  title: id,
  state,
  progress: null,
  result: null,
  error: null,
  lastSeq: 1,
  createdAt: 1,
  startedAt: null,
  endedAt: null,
})

describe('formatBytes', () => {
  it('uses decimal units with at most three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(812)).toBe('812 B')
    expect(formatBytes(354_892)).toBe('355 KB')
    expect(formatBytes(9_500_000)).toBe('9.5 MB')
    expect(formatBytes(10_476_043)).toBe('10.5 MB')
    expect(formatBytes(999_700)).toBe('1 MB')
    expect(formatBytes(2_066_000_000)).toBe('2.07 GB')
  })
})

describe('model facts', () => {
  it('lists every fact a card shows, in words', () => {
    const rows = Object.fromEntries(factRows(facts).map((r) => [r.label, r.value]))
    expect(rows).toEqual({
      Architecture: 'SD 1.x · 768-wide text context',
      'Cross-attention': '16 layers',
      Weights: 'float16',
      Timestep: 'float, one per batch item',
      Prediction: 'Velocity (v-prediction)',
      Size: '2.07 GB',
    })
  })

  it('sums and breaks down component sizes, largest first', () => {
    expect(totalBytes(facts)).toBe(2_066_000_000)
    expect(sizeBreakdown(facts)).toBe('U-Net 1.72 GB · Text encoder 246 MB · VAE decoder 99 MB')
  })

  it('labels custom architectures and single layers', () => {
    const custom = { ...facts, sdVersion: 'custom' as const, crossAttentionLayers: 1 }
    expect(versionLabel(custom)).toBe('Custom')
    expect(factRows(custom).find((r) => r.label === 'Cross-attention')?.value).toBe('1 layer')
  })
})

describe('register form', () => {
  it('needs a folder; the name is optional and sent only when given', () => {
    expect(registerDirError({ dir: '  ', name: '' })).toBe('Enter the model folder.')
    expect(registerDirError({ dir: '/m', name: '' })).toBeNull()
    expect(registerNameError({ dir: '/m', name: 'x'.repeat(121) })).toMatch(/120/)
    expect(registerJob('p', { dir: ' /m/sd ', name: '  ' })).toEqual({
      kind: 'register-model',
      projectId: 'p',
      dir: '/m/sd',
    })
    expect(registerJob('p', { dir: '/m/sd', name: ' SD 1.5 ' })).toMatchObject({ name: 'SD 1.5' })
  })

  it('takes a dropped folder path from Electron, and says when a browser gives none', () => {
    const file = new File([], 'sd15')
    expect(droppedFolder([file], () => '/models/sd15')).toEqual({
      kind: 'path',
      path: '/models/sd15',
    })
    expect(droppedFolder([file], undefined)).toEqual({ kind: 'no-path' })
    expect(droppedFolder([file], () => '')).toEqual({ kind: 'no-path' })
    expect(droppedFolder([], () => '/x')).toEqual({ kind: 'nothing' })
  })

  it('changes the reload key only when a register-model job succeeds', () => {
    const before = registeredKey([
      job('a', 'register-model', 'running'),
      job('b', 'generate', 'succeeded'),
    ])
    expect(before).toBe('')
    expect(registeredKey([job('a', 'register-model', 'succeeded')])).toBe('a')
  })
})
