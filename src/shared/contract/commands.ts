import { z } from 'zod'
import { idSchema } from './common'
import { jobSnapshotSchema, startJobSchema } from './jobs'
import { experimentSchema, galleryImageSchema, pointSchema } from './experiments'
import { exportOptionsSchema, exportPreviewSchema, exportRecordSchema } from './exports'
import { embeddingMapSchema } from './map'
import { imageSchema, modelSchema } from './models'
import { presetSchema } from './presets'
import { createProjectSchema, projectNameSchema, projectSchema } from './projects'
import { appInfoSchema, settingsPatchSchema, settingsSchema } from './settings'

const none = z.object({}).strict()

/**
 * Every command the renderer (or the CLI, or a test) can send to the engine host. The same
 * object types the call and validates it: main checks input before forwarding, the host checks
 * it again before a service sees it.
 */
export const hostCommands = {
  'app.info': { input: none, output: appInfoSchema },
  'settings.get': { input: none, output: settingsSchema },
  'settings.set': { input: settingsPatchSchema, output: settingsSchema },
  'projects.list': { input: none, output: z.array(projectSchema) },
  'projects.create': { input: createProjectSchema, output: projectSchema },
  'projects.rename': {
    input: z.object({ id: idSchema, name: projectNameSchema }).strict(),
    output: projectSchema,
  },
  'projects.open': { input: z.object({ id: idSchema }).strict(), output: projectSchema },
  'projects.delete': {
    input: z.object({ id: idSchema, deleteFiles: z.boolean() }).strict(),
    output: z.object({ id: idSchema, filesDeleted: z.boolean() }),
  },
  'models.list': { input: z.object({ projectId: idSchema }).strict(), output: z.array(modelSchema) },
  'models.remove': {
    input: z.object({ projectId: idSchema, modelId: idSchema }).strict(),
    output: z.object({ modelId: idSchema }),
  },
  'images.list': {
    input: z.object({ projectId: idSchema, modelId: idSchema.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    output: z.array(imageSchema),
  },
  'presets.list': { input: none, output: z.array(presetSchema) },
  'experiments.list': { input: z.object({ projectId: idSchema }).strict(), output: z.array(experimentSchema) },
  'experiments.get': {
    input: z.object({ projectId: idSchema, experimentId: idSchema }).strict(),
    output: z.object({ experiment: experimentSchema, gallery: z.array(galleryImageSchema) }),
  },
  'experiments.points': {
    input: z.object({ projectId: idSchema, experimentId: idSchema }).strict(),
    output: z.array(pointSchema),
  },
  'experiments.map': {
    input: z.object({ projectId: idSchema, experimentId: idSchema }).strict(),
    output: embeddingMapSchema,
  },
  'experiments.delete': {
    input: z.object({ projectId: idSchema, experimentId: idSchema }).strict(),
    output: z.object({ experimentId: idSchema }),
  },
  'exports.preview': {
    input: z.object({ projectId: idSchema, experimentId: idSchema, options: exportOptionsSchema }).strict(),
    output: exportPreviewSchema,
  },
  'exports.list': {
    input: z.object({ projectId: idSchema, experimentId: idSchema.optional() }).strict(),
    output: z.array(exportRecordSchema),
  },
  'jobs.list': {
    input: z.object({ projectId: idSchema.optional() }).strict(),
    output: z.array(jobSnapshotSchema),
  },
  'jobs.start': { input: startJobSchema, output: jobSnapshotSchema },
  'jobs.cancel': { input: z.object({ jobId: idSchema }).strict(), output: jobSnapshotSchema },
} as const

/** What `shell.showInFolder` reveals. */
export const showTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('project') }).strict(),
  z.object({ kind: z.literal('experiment'), experimentId: idSchema }).strict(),
  z.object({ kind: z.literal('export'), exportId: idSchema }).strict(),
])
export type ShowTarget = z.infer<typeof showTargetSchema>

/**
 * Commands served by the shell itself (Electron main or the bridge), not the engine host: they
 * need the desktop (native dialogs, the file manager).
 */
export const shellCommands = {
  'shell.chooseFolder': {
    input: z.object({ title: z.string().max(200).optional() }).strict(),
    output: z.object({ path: z.string().nullable() }),
  },
  'shell.capabilities': {
    input: none,
    output: z.object({ nativeDialogs: z.boolean(), mediaBase: z.string() }),
  },
  /**
   * Opens the file manager at something the studio wrote: the project folder, an experiment's
   * edit file, or an export. Only ids travel, so a page cannot point the shell at any path.
   */
  'shell.showInFolder': {
    input: z.object({ projectId: idSchema, target: showTargetSchema }).strict(),
    output: z.object({ path: z.string() }),
  },
} as const

export const commands = { ...hostCommands, ...shellCommands } as const

export type HostCommandName = keyof typeof hostCommands
export type ShellCommandName = keyof typeof shellCommands
export type CommandName = keyof typeof commands
export type CommandInput<K extends CommandName> = z.input<(typeof commands)[K]['input']>
export type ParsedInput<K extends CommandName> = z.output<(typeof commands)[K]['input']>
export type CommandOutput<K extends CommandName> = z.output<(typeof commands)[K]['output']>

export const isCommandName = (name: unknown): name is CommandName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name)
export const isHostCommand = (name: CommandName): name is HostCommandName =>
  Object.prototype.hasOwnProperty.call(hostCommands, name)
