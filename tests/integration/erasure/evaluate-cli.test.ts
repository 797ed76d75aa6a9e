import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import type { EvaluationOutcome, Experiment } from '../../../src/shared/contract'
import { tempDir } from '../../helpers/temp-dir'
import { tinyModelFactory } from '../../helpers/tiny-models'

const run = promisify(execFile)
const tmp = tempDir('evaluate-cli')
const tiny = tinyModelFactory(tmp.dir)
afterAll(() => tmp.cleanup())

async function cli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', ...args], {
    env: { ...process.env, REALERA_DATA_DIR: path.join(tmp.dir, 'data'), REALERA_PROJECTS_DIR: path.join(tmp.dir, 'projects') },
    maxBuffer: 64 * 1024 * 1024,
  })
}

describe('realera erase --evaluate and realera evaluate', () => {
  it('erases red and evaluates it in one run, then evaluates again and prints the table', async () => {
    const { dir } = await tiny('sd1')
    const project = path.join(tmp.dir, 'projects', 'Shapes')
    const erased = JSON.parse(
      (await cli(['erase', '--model', dir, '--project', project, '--concept', 'red', '--m', '4', '--n', '4', '--no-gallery', '--gallery-steps', '2', '--size', '64', '--evaluate', '--eval-seeds', '1', '--eval-counts', '2,3,1', '--json'])).stdout,
    ) as { experiment: Experiment }
    expect(erased.experiment.status).toBe('succeeded')
    expect(erased.experiment.metrics).toMatchObject({ concept: { color: 'red' }, counts: { erasure: 2, preserved: 3, generalization: 1 }, seeds: [1], generation: { steps: 2, size: 64 } })

    const outcome = JSON.parse((await cli(['evaluate', 'Shapes', '1', '--seeds', '4,5', '--shape', 'star', '--counts', '1,1,1', '--json'])).stdout) as EvaluationOutcome
    expect(outcome.concept).toEqual({ shape: 'star' })
    expect(outcome.metrics).toMatchObject({ counts: { erasure: 1, preserved: 1, generalization: 1 }, seeds: [4, 5], evaluator: 'shapeworld-pixels' })

    const { stdout } = await cli(['evaluate', project, String(erased.experiment.number), '--seeds', '2', '--counts', '1,1,1'])
    const lines = stdout.trim().split('\n')
    expect(lines[0]).toBe('Experiment 1 "Erase red": erasure of red, judged by shapeworld-pixels')
    expect(lines.slice(2, 6).map((l) => l.trim().split(/\s+/).slice(0, 1)[0])).toEqual(['Acc_e', 'Acc_s', 'Acc_g', 'H_o'])
    expect(lines[2]).toMatch(/^ {2}Acc_e +\d+\.\d % {2}lower /)
    expect(lines[6]).toBe('  seeds 2 · 2 steps · guidance 7.5 · ddim · 64×64 · 3 images in all')
  })

  it('refuses what it cannot evaluate with a message that names the fix', async () => {
    await expect(cli(['evaluate', 'Shapes', '9'])).rejects.toMatchObject({ stderr: expect.stringMatching(/No experiment "9" in project "Shapes"/) as unknown })
    await expect(cli(['evaluate', 'Nowhere', '1'])).rejects.toMatchObject({ stderr: expect.stringMatching(/No project "Nowhere"/) as unknown })
    await expect(cli(['evaluate', 'Shapes', '1', '--color', 'pink'])).rejects.toMatchObject({ stderr: expect.stringMatching(/concept\.color: Invalid option/) as unknown })
    await expect(cli(['evaluate', 'Shapes'])).rejects.toMatchObject({ stderr: expect.stringMatching(/Name the project and the experiment/) as unknown })
  })
})
