import { parseArgs } from 'node:util'
import { createProjectSchema, describeIssues } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import type { CliIo } from './cli-context'
import { openServices } from './cli-context'

export const projectsUsage = `realera projects list [--json]
realera projects create NAME [--dir PARENT_DIR] [--json]`

/** `realera projects list|create`: the same ProjectsService the studio uses. */
export async function projectsCommand(args: string[], io: CliIo): Promise<void> {
  const [sub, ...rest] = args
  const services = openServices()
  try {
    if (sub === 'list') {
      const projects = services.projects.list()
      io.result(projects, () =>
        projects.length === 0
          ? 'No projects yet. Create one with: realera projects create NAME'
          : projects.map((p) => `${p.name}\t${p.dir}${p.missing ? '\t(folder missing)' : ''}\t${p.id}`).join('\n'),
      )
      return
    }
    if (sub === 'create') {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { dir: { type: 'string' }, json: { type: 'boolean' } },
        allowPositionals: true,
      })
      const parsed = createProjectSchema.safeParse({ name: positionals.join(' '), parentDir: values.dir })
      if (!parsed.success) throw new StudioError('invalid-input', describeIssues(parsed.error))
      const project = await services.projects.create(parsed.data)
      io.result(project, () => `Created project "${project.name}" in ${project.dir}`)
      return
    }
    throw new StudioError('invalid-input', `Unknown subcommand "${sub ?? ''}". Usage:\n${projectsUsage}`)
  } finally {
    await services.close()
  }
}
