/**
 * Command and event names without their schemas, for the preload script: a sandboxed preload
 * cannot load packages, so it gets plain strings. A unit test keeps this list equal to the
 * contract's keys.
 */
export const commandNames = [
  'app.info',
  'settings.get',
  'settings.set',
  'projects.list',
  'projects.create',
  'projects.rename',
  'projects.open',
  'projects.delete',
  'models.list',
  'models.remove',
  'images.list',
  'presets.list',
  'experiments.list',
  'experiments.get',
  'experiments.points',
  'experiments.map',
  'experiments.delete',
  'exports.preview',
  'exports.list',
  'jobs.list',
  'jobs.start',
  'jobs.cancel',
  'shell.chooseFolder',
  'shell.capabilities',
  'shell.showInFolder',
] as const

export const eventNames = ['job'] as const

/** The IPC channel names Electron uses; only src/main/ipc and src/preload refer to them. */
export const IPC_INVOKE = 'studio:invoke'
export const IPC_EVENT_PREFIX = 'studio:event:'
