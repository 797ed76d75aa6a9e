import { parseArgs } from 'node:util'
import type { Project } from '../../shared/contract'
import { describeIssues, startExportSchema } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import type { Services } from '../host/services'
import { progressPrinter, requireFlag } from './args'
import type { CliIo } from './cli-context'
import { openServices } from './cli-context'
import { cliContext, cliProject } from './cli-project'

export const exportUsage = `realera export --experiment ID|NUMBER --format kohya|peft|merged [--rank N] [--dtype fp16|fp32]
              [--full-rank] --out PATH [--project DIR] [--json]`

/** An experiment by id, or by its number in the project ("3"). */
export function findExperiment(s: Services, project: Project, ref: string): string {
  const all = s.experiments.list(project)
  const hit = all.find((e) => e.id === ref || String(e.number) === ref)
  if (!hit) throw new StudioError('not-found', `No experiment "${ref}" in project "${project.name}" (it has ${all.map((e) => e.number).join(', ') || 'none'}).`)
  return hit.id
}

/** `realera export`: kohya / PEFT LoRA files or a merged model, with per-layer errors. */
export async function exportCommand(args: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      experiment: { type: 'string' },
      format: { type: 'string' },
      rank: { type: 'string' },
      dtype: { type: 'string' },
      'full-rank': { type: 'boolean' },
      out: { type: 'string' },
      project: { type: 'string' },
      json: { type: 'boolean' },
    },
  })
  const services = openServices()
  try {
    const project = await cliProject(services, values.project)
    const experimentId = findExperiment(services, project, requireFlag('experiment', values.experiment))
    const parsed = startExportSchema.safeParse({
      kind: 'export',
      projectId: project.id,
      experimentId,
      options: {
        ...(values.format ? { format: values.format } : {}),
        ...(values.rank ? { rank: Number(values.rank) } : {}),
        ...(values.dtype ? { dtype: values.dtype } : {}),
        fullRank: values['full-rank'] === true,
      },
      out: requireFlag('out', values.out),
    })
    if (!parsed.success) throw new StudioError('invalid-input', describeIssues(parsed.error))
    const ctx = cliContext(progressPrinter(!io.json && process.stderr.isTTY), () => undefined)
    try {
      const record = await services.exports.run(project, parsed.data, ctx)
      io.result(record, () =>
        [
          `Wrote ${record.format} export to ${record.path} (${(record.bytes / 1e6).toFixed(2)} MB, sha256 ${record.sha256.slice(0, 12)}…)`,
          ...record.layers.map((l) => `  ${l.path.padEnd(64)} rank ${String(l.rank).padStart(4)}  rel. error ${l.relError.toExponential(2)}`),
        ].join('\n'),
      )
    } finally {
      ctx.dispose()
    }
  } finally {
    await services.close()
  }
}
