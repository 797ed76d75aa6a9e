import { parseArgs } from 'node:util'
import path from 'node:path'
import { StudioError } from '../../shared/errors'
import { loadSdModel } from '../engine/sd/sd-model'
import { resolveModelRef } from '../services/bundled-models'
import type { TinyVariant } from '../engine/tiny'
import { TINY_VARIANTS, writeTinyPipeline } from '../engine/tiny'
import { numberFlag, requireFlag } from './args'
import type { CliIo } from './cli-context'

export const modelUsage = `realera model inspect DIR|shapeworld [--provider auto|cpu|cuda|dml|coreml] [--json]
realera dev tiny-model --out DIR [--variant ${TINY_VARIANTS.join('|')}] [--seed N] [--json]`

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`

/** `realera model inspect DIR` (or `shapeworld`, the bundled model): loads the model as the studio does and prints its facts. */
export async function modelCommand(args: string[], io: CliIo): Promise<void> {
  const [sub, ...rest] = args
  if (sub !== 'inspect') throw new StudioError('invalid-input', `Unknown subcommand "${sub ?? ''}". Usage:\n${modelUsage}`)
  const { values, positionals } = parseArgs({
    args: rest,
    options: { provider: { type: 'string' }, threads: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
  })
  const dir = positionals[0]
  if (!dir) throw new StudioError('invalid-input', `Name the model folder. Usage:\n${modelUsage}`)
  const model = await loadSdModel(resolveModelRef(dir), { provider: values.provider ?? 'auto', threads: numberFlag('threads', values.threads, 0, { integer: true }) })
  try {
    const f = model.facts
    const out = { dir: model.folder.dir, provider: model.runtime.provider, facts: f, kv: model.kv.projections }
    io.result(out, () =>
      [
        `Model         ${model.folder.dir}`,
        `SD version    ${f.sdVersion} (context width ${f.contextDim})`,
        `Latents       ${f.latentChannels} channels`,
        `Cross-attn    ${f.crossAttentionLayers} layers, ${model.kv.projections.length} K/V matrices (named from ${f.kvNaming})`,
        `Precision     ${f.dtype}; timestep ${f.timestep}; input_ids ${f.inputIds}; prediction ${f.predictionType}`,
        `Sizes         ${Object.entries(f.sizes).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${mb(v)}`).join(', ')}`,
        `Runs on       ${model.runtime.provider}${model.runtime.fallbackReason ? ` (${model.runtime.fallbackReason})` : ''}`,
        ...model.kv.projections.map((p) => `  ${p.path}  [${p.contextDim}, ${p.width}]`),
      ].join('\n'),
    )
  } finally {
    await model.dispose()
  }
}

/** `realera dev tiny-model`: writes a generated tiny pipeline so anyone can try the studio. */
export async function devCommand(args: string[], io: CliIo): Promise<void> {
  const [sub, ...rest] = args
  if (sub !== 'tiny-model') throw new StudioError('invalid-input', `Unknown subcommand "${sub ?? ''}". Usage:\n${modelUsage}`)
  const { values } = parseArgs({
    args: rest,
    options: { out: { type: 'string' }, variant: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
  })
  const out = path.resolve(requireFlag('out', values.out))
  const variant = (values.variant ?? 'sd1') as TinyVariant
  if (!TINY_VARIANTS.includes(variant)) {
    throw new StudioError('invalid-input', `--variant must be one of ${TINY_VARIANTS.join(', ')} (got "${variant}").`)
  }
  const facts = await writeTinyPipeline(out, { variant, seed: numberFlag('seed', values.seed, 1, { integer: true }) })
  io.result({ dir: out, variant, files: facts.files }, () => `Wrote a tiny ${variant} pipeline to ${out} (${facts.files.length} files, ${facts.crossAttention.length / 2} cross-attention layers).`)
}
