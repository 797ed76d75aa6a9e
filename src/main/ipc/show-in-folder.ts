import { existsSync } from 'node:fs'
import path from 'node:path'
import type { CommandOutput, HostCommandName, ParsedInput } from '../../shared/contract'
import { hostCommands } from '../../shared/contract'
import type { Envelope } from '../../shared/errors'
import { StudioError } from '../../shared/errors'

/** Sends one host command (the host client's `request`, or the in-process dispatcher in tests). */
export type HostRequest = (name: HostCommandName, input: unknown) => Promise<Envelope<unknown>>

/** What the file manager should show: a file selected in its folder, or a folder opened. */
export interface FolderTarget {
  readonly reveal: 'item' | 'folder'
  readonly path: string
}

async function ask<K extends HostCommandName>(
  request: HostRequest,
  name: K,
  input: ParsedInput<K>,
): Promise<CommandOutput<K>> {
  const res = await request(name, input)
  if (!res.ok) throw new StudioError(res.error.code, res.error.message)
  return hostCommands[name].output.parse(res.value) as CommandOutput<K>
}

/**
 * Resolves `shell.showInFolder` to a path the studio itself wrote, asking the host: the
 * project folder, an experiment's edit file (its folder when there is none yet), or an export.
 * Refuses what no longer exists, naming it.
 */
export async function locateInFolder(
  request: HostRequest,
  input: ParsedInput<'shell.showInFolder'>,
): Promise<FolderTarget> {
  const projects = await ask(request, 'projects.list', {})
  const project = projects.find((p) => p.id === input.projectId)
  if (!project) throw new StudioError('not-found', 'This project is no longer in the studio.')
  const target = input.target
  let found: FolderTarget
  switch (target.kind) {
    case 'project':
      found = { reveal: 'folder', path: project.dir }
      break
    case 'experiment': {
      const { experiment } = await ask(request, 'experiments.get', {
        projectId: project.id,
        experimentId: target.experimentId,
      })
      found = experiment.artifactPath
        ? { reveal: 'item', path: path.resolve(project.dir, experiment.artifactPath) }
        : { reveal: 'folder', path: project.dir }
      break
    }
    case 'export': {
      const records = await ask(request, 'exports.list', { projectId: project.id })
      const record = records.find((r) => r.id === target.exportId)
      if (!record) throw new StudioError('not-found', 'This export is no longer recorded.')
      found = { reveal: 'item', path: path.resolve(project.dir, record.path) }
      break
    }
  }
  if (!existsSync(found.path)) {
    throw new StudioError('not-found', `${found.path} no longer exists: it was moved or deleted.`)
  }
  return found
}
