import { toErrorInfo } from '../shared/errors'
import { createIo } from './cli/cli-context'
import { eraseCommand, eraseUsage } from './cli/erase-command'
import { evaluateCommand, evaluateUsage } from './cli/evaluate-command'
import { exportCommand, exportUsage } from './cli/export-command'
import { generateCommand, generateUsage } from './cli/generate-command'
import { devCommand, modelCommand, modelUsage } from './cli/model-commands'
import { projectsCommand, projectsUsage } from './cli/projects-command'

const usage = `RealEra Studio command line (the same engine and data as the studio).

${projectsUsage}
${modelUsage}
${generateUsage}
${eraseUsage}
${evaluateUsage}
${exportUsage}

--model shapeworld (or model inspect shapeworld): the ShapeWorld model bundled in resources/shapeworld.

Environment: REALERA_DATA_DIR (catalog folder), REALERA_PROJECTS_DIR (default project parent),
REALERA_BUNDLED_SHAPEWORLD (another folder for the bundled ShapeWorld model).`

/** Headless entry: `npx realera …`. Exit code 0 on success, 1 on a reported error, 2 on usage. */
export async function runCli(argv: string[]): Promise<number> {
  const json = argv.includes('--json')
  const io = createIo(json)
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'projects':
        await projectsCommand(rest, io)
        return 0
      case 'model':
        await modelCommand(rest, io)
        return 0
      case 'dev':
        await devCommand(rest, io)
        return 0
      case 'generate':
        await generateCommand(rest, io)
        return 0
      case 'erase':
        await eraseCommand(rest, io)
        return 0
      case 'evaluate':
        await evaluateCommand(rest, io)
        return 0
      case 'export':
        await exportCommand(rest, io)
        return 0
      case undefined:
      case 'help':
      case '--help':
        io.out(usage)
        return command === undefined ? 2 : 0
      default:
        io.err(`Unknown command "${command}".\n\n${usage}`)
        return 2
    }
  } catch (err) {
    const info = toErrorInfo(err)
    if (json) io.out(JSON.stringify({ error: info }))
    else io.err(`Error: ${info.message}`)
    return 1
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
