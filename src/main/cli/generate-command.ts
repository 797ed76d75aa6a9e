import { parseArgs } from 'node:util'
import path from 'node:path'
import { describeIssues, generationParamsSchema } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import { txt2img } from '../engine/sd/pipelines/txt2img'
import { loadSdModel } from '../engine/sd/sd-model'
import { hostConfigFromEnv } from '../host/host-config'
import { isShapeWorldRef, resolveModelRef } from '../services/bundled-models'
import { loraFeeds } from '../services/lora-weights'
import { writeFileAtomic } from '../util/atomic-write'
import { numberFlag, progressPrinter, requireFlag } from './args'
import type { CliIo } from './cli-context'

export const generateUsage = `realera generate --model DIR|shapeworld --prompt TEXT [--negative TEXT] [--seed N] [--steps N]
                 [--guidance F] [--scheduler ddim|pndm|euler|euler-a] [--size 512 (shapeworld: 64) | --width W --height H]
                 [--lora FILE.safetensors [--lora-scale F]] [--provider auto|cpu|cuda|dml|coreml]
                 [--threads N] --out FILE.png [--json]`

/** `realera generate`: txt2img from the command line, with the studio's engine and defaults. */
export async function generateCommand(args: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      prompt: { type: 'string' },
      negative: { type: 'string' },
      seed: { type: 'string' },
      steps: { type: 'string' },
      guidance: { type: 'string' },
      scheduler: { type: 'string' },
      size: { type: 'string' },
      width: { type: 'string' },
      height: { type: 'string' },
      provider: { type: 'string' },
      threads: { type: 'string' },
      out: { type: 'string' },
      lora: { type: 'string' },
      'lora-scale': { type: 'string' },
      json: { type: 'boolean' },
    },
  })
  const modelDir = resolveModelRef(requireFlag('model', values.model))
  // The bundled ShapeWorld model draws 64×64 scenes; Stable Diffusion checkpoints 512.
  const size = numberFlag('size', values.size, isShapeWorldRef(values.model) ? 64 : 512, { integer: true })
  const parsed = generationParamsSchema.safeParse({
    prompt: requireFlag('prompt', values.prompt),
    negativePrompt: values.negative ?? '',
    seed: numberFlag('seed', values.seed, 0, { integer: true }),
    steps: numberFlag('steps', values.steps, 30, { integer: true }),
    guidance: numberFlag('guidance', values.guidance, 7.5),
    scheduler: values.scheduler ?? 'pndm',
    width: numberFlag('width', values.width, size, { integer: true }),
    height: numberFlag('height', values.height, size, { integer: true }),
    ...(values.lora ? { lora: { path: path.resolve(values.lora), scale: numberFlag('lora-scale', values['lora-scale'], 1) } } : {}),
  })
  if (!parsed.success) throw new StudioError('invalid-input', describeIssues(parsed.error))
  const out = path.resolve(requireFlag('out', values.out))
  const lora = parsed.data.lora
  const model = await loadSdModel(modelDir, {
    provider: values.provider ?? 'auto',
    threads: numberFlag('threads', values.threads, 0, { integer: true }),
    ...(lora ? { kvInputsCacheDir: path.join(hostConfigFromEnv().dataDir, 'cache') } : {}),
  })
  try {
    if (model.runtime.fallbackReason) io.err(model.runtime.fallbackReason)
    let hooks = {}
    if (lora) {
      const applied = loraFeeds(model, lora.path, lora.scale)
      if (applied.unmatched.length > 0) io.err(`Warning: ${applied.unmatched.length} LoRA keys match no K/V layer: ${applied.unmatched.slice(0, 8).join(', ')}`)
      hooks = { unetFeeds: applied.feeds }
    }
    const result = await txt2img(model, parsed.data, hooks, { onProgress: progressPrinter(!io.json && process.stderr.isTTY) })
    for (const w of result.warnings) io.err(`Warning: ${w}`)
    await writeFileAtomic(out, result.png)
    const summary = { out, params: parsed.data, provider: model.runtime.provider, timings: result.timings }
    io.result(summary, () => `Wrote ${out} (${result.width}×${result.height}, seed ${parsed.data.seed}, ${parsed.data.steps} ${parsed.data.scheduler} steps on ${model.runtime.provider}, ${(result.timings.denoiseMs / 1000).toFixed(1)} s denoising)`)
  } finally {
    await model.dispose()
  }
}
