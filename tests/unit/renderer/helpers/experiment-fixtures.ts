import type { Experiment, GalleryImage, JobSnapshot, Preset } from '../../../../src/shared/contract'
import {
  erasureParamsSchema,
  erasureSpecSchema,
  gallerySettingsSchema,
} from '../../../../src/shared/contract'

/** A stored experiment as the host returns it, with contract defaults unless overridden. */
export function experiment(over: Partial<Experiment> = {}): Experiment {
  return {
    id: 'e1',
    number: 1,
    projectId: 'p1',
    modelId: 'm1',
    name: 'Erase van gogh',
    spec: erasureSpecSchema.parse({
      preset: 'artist',
      concepts: [
        { concept: 'van gogh', anchor: 'art', templates: ['a painting by {}', '{} style'] },
      ],
      preserve: ['Claude Monet'],
      probes: ['The Starry Night'],
    }),
    params: erasureParamsSchema.parse({ m: 10, n: 10 }),
    gallery: gallerySettingsSchema.parse({ seeds: [1], steps: 4, size: 64 }),
    status: 'succeeded',
    provider: 'cpu',
    timings: { encodeMs: 40, mineMs: 60, solveMs: 50, galleryMs: 4400 },
    artifactPath: 'experiments/1/edit.safetensors',
    error: null,
    jobId: 'j1',
    pointCounts: { erasure: 2, neighbor: 20 },
    lossCurve: [],
    evalCurve: [],
    loraPath: null,
    metrics: null,
    createdAt: 1_000,
    finishedAt: 6_000,
    ...over,
  }
}

export const artistPreset: Preset = {
  id: 'artist',
  label: 'Artist style',
  description: 'Erase a style.',
  anchor: 'art',
  templates: ['a painting in the style of {}', 'an artwork by {}'],
  preserve: ['Claude Monet', 'Pablo Picasso'],
  probes: ['The Starry Night'],
  params: { variant: 'mining', m: 25, unknownKey: 3, s1: 'not a number' },
}

export function galleryImage(over: Partial<GalleryImage>): GalleryImage {
  return {
    id: `${over.group ?? 'erasure'}-${over.role ?? 'original'}-${over.prompt ?? 'p'}-${over.seed ?? 1}`,
    group: 'erasure',
    role: 'original',
    prompt: 'p',
    seed: 1,
    path: 'images/x.png',
    ...over,
  }
}

export function eraseJob(over: Partial<JobSnapshot> = {}): JobSnapshot {
  return {
    id: 'j1',
    kind: 'erase',
    projectId: 'p1',
    title: 'Erase van gogh',
    state: 'running',
    progress: null,
    result: null,
    error: null,
    lastSeq: 3,
    createdAt: 0,
    startedAt: 0,
    endedAt: null,
    ...over,
  }
}
