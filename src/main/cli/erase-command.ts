import { parseArgs } from 'node:util'
import path from 'node:path'
import type { ErasureParamsInput } from '../../shared/contract'
import { describeIssues, startEraseSchema } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import { findPreset } from '../services/presets'
import { progressPrinter, requireFlag } from './args'
import type { CliIo } from './cli-context'
import { openServices } from './cli-context'
import { cliContext, cliModel, cliProject } from './cli-project'
import { evaluationFlags } from './evaluate-command'
import { metricsTable } from './metrics-table'

const evalFlags = ['seeds', 'color', 'shape', 'steps', 'guidance', 'counts'] as const

const numeric = ['seed', 'd1', 'd1Anchor', 'd2', 's1', 's2', 'm', 'n', 'lambda', 'lambda1', 'maxAttempts', 'loraRank', 'loraAlpha', 'learningRate', 'epochs'] as const

export const eraseUsage = `realera erase --model DIR|shapeworld --concept TEXT [--concept TEXT…] [--anchor TEXT] [--preset artist|celebrity|object|explicit]
             [--template "a painting in the style of {}"…] [--preserve TEXT…] [--probe TEXT…]
             [--variant closed-form|mining|mining-beyond|full] [--seed N] [--project DIR]
             [--m N] [--n N] [--d1 F] [--d1Anchor F] [--d2 F] [--s1 F] [--s2 F] [--lambda F] [--lambda1 F]
             [--tokenPositions concept-and-after|concept-only|last-and-after]
             [--gallery-seeds 1,2] [--gallery-steps N] [--size N] [--no-gallery]
             [--evaluate [--eval-seeds 1,2,3,4] [--eval-color NAME] [--eval-shape NAME] [--eval-steps N]
              [--eval-guidance F] [--eval-counts E,P,G]] [--json]
    --evaluate: when the run succeeds, evaluate the erased model (as \`realera evaluate\`) in the same run.`

/** `realera erase`: one RealEra experiment, recorded in the project like the studio's. */
export async function eraseCommand(args: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      concept: { type: 'string', multiple: true },
      anchor: { type: 'string' },
      preset: { type: 'string' },
      template: { type: 'string', multiple: true },
      preserve: { type: 'string', multiple: true },
      probe: { type: 'string', multiple: true },
      variant: { type: 'string' },
      project: { type: 'string' },
      name: { type: 'string' },
      tokenPositions: { type: 'string' },
      'gallery-seeds': { type: 'string' },
      'gallery-steps': { type: 'string' },
      size: { type: 'string' },
      'no-gallery': { type: 'boolean' },
      evaluate: { type: 'boolean' },
      ...Object.fromEntries(evalFlags.map((k) => [`eval-${k}`, { type: 'string' as const }])),
      json: { type: 'boolean' },
      ...Object.fromEntries(numeric.map((k) => [k, { type: 'string' as const }])),
    },
  })
  const preset = values.preset ? findPreset(values.preset) : null
  const concepts = values.concept ?? []
  if (concepts.length === 0) throw new StudioError('invalid-input', `Name the concept to erase with --concept. Usage:\n${eraseUsage}`)
  const templates = values.template ?? preset?.templates ?? ['{}']
  const anchor = values.anchor ?? preset?.anchor ?? ''
  const params: Record<string, unknown> = { ...(preset?.params ?? {}) }
  for (const k of numeric) {
    const v = (values as Record<string, unknown>)[k]
    if (typeof v === 'string') params[k] = Number(v)
  }
  if (values.variant) params.variant = values.variant
  if (values.tokenPositions) params.tokenPositions = values.tokenPositions
  const gallery: Record<string, unknown> = { enabled: values['no-gallery'] !== true }
  if (values['gallery-seeds']) gallery.seeds = values['gallery-seeds'].split(',').map(Number)
  if (values['gallery-steps']) gallery.steps = Number(values['gallery-steps'])
  if (values.size) gallery.size = Number(values.size)
  const evalValues = Object.fromEntries(evalFlags.flatMap((k) => {
    const v = (values as Record<string, unknown>)[`eval-${k}`]
    return typeof v === 'string' ? [[k, v]] : []
  })) as Partial<Record<(typeof evalFlags)[number], string>>
  // Any --eval-* flag asks for the evaluation too.
  const evaluate = values.evaluate === true || Object.keys(evalValues).length > 0 ? evaluationFlags(evalValues) : undefined
  const services = openServices()
  try {
    const project = await cliProject(services, values.project)
    const progress = progressPrinter(!io.json && process.stderr.isTTY)
    const ctx = cliContext(progress, (m) => io.err(m))
    try {
      const model = await cliModel(services, project, requireFlag('model', values.model), ctx)
      const parsed = startEraseSchema.safeParse({
        kind: 'erase',
        projectId: project.id,
        modelId: model.id,
        ...(values.name ? { name: values.name } : {}),
        spec: {
          preset: preset?.id ?? 'custom',
          concepts: concepts.map((concept) => ({ concept, anchor, templates })),
          preserve: values.preserve ?? preset?.preserve ?? [],
          probes: values.probe ?? preset?.probes ?? [],
        },
        params: params as ErasureParamsInput,
        gallery,
        ...(evaluate ? { evaluate: Object.keys(evaluate).length > 0 ? evaluate : true } : {}),
      })
      if (!parsed.success) throw new StudioError('invalid-input', describeIssues(parsed.error))
      const exp = await services.erase.run(project, parsed.data, ctx)
      const { gallery: images } = services.experiments.get(project, exp.id)
      io.result({ experiment: exp, gallery: images.map((g) => ({ ...g, file: path.join(project.dir, g.path) })) }, () =>
        [
          `Experiment ${exp.number} (${exp.params.variant}) ${exp.status} in project "${project.name}" (${project.dir})`,
          `  points     ${Object.entries(exp.pointCounts).map(([k, v]) => `${k} ${v}`).join(', ')}`,
          `  timings    ${Object.entries(exp.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ')}`,
          `  edit       ${exp.artifactPath ? path.join(project.dir, exp.artifactPath) : '(none)'}`,
          `  gallery    ${images.length} images in ${path.join(project.dir, 'images')}`,
          ...(exp.metrics && evaluate ? ['', metricsTable(exp, exp.metrics)] : []),
        ].join('\n'),
      )
    } finally {
      ctx.dispose()
    }
  } finally {
    await services.close()
  }
}
