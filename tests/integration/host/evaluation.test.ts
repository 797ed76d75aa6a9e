import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluationOutcome, Experiment, ExperimentMetrics, JobEvent, JobSnapshot, Model, Project } from '../../../src/shared/contract'
import type { HostClient } from '../../../src/main/host/host-client'
import { overallScore } from '../../../src/main/engine/eval/metrics'
import { evaluationPrompts } from '../../../src/main/engine/shapeworld/captions'
import { call, recordEvents, startHost } from '../../helpers/host-harness'
import { expectJobInvariants } from '../../helpers/job-invariants'
import { tempDir } from '../../helpers/temp-dir'
import { tinyModelFactory } from '../../helpers/tiny-models'

/**
 * Erase → evaluate through the real forked host on the tiny random model: the figures mean
 * nothing there (it draws noise, which the classifier calls "unknown"), but every step is real:
 * txt2img with the erased model, the classifier, the metrics row, progress and cancel.
 */
const t = tempDir('evaluation')
const tiny = tinyModelFactory(path.join(t.dir, 'models'))
let host: HostClient
let rec: ReturnType<typeof recordEvents>
let project: Project
let model: Model

/** Images per seed for erasing red: every group's prompts. */
const red = evaluationPrompts({ color: 'red' })
const perSeed = { erasure: red.erasure.length, preserved: red.preserved.length, generalization: red.generalization.length }

const gallery = { seeds: [1], steps: 2, size: 64 }
const spec = (concept: string) => ({ preset: 'custom', concepts: [{ concept, anchor: '', templates: ['a photo of a {} circle'] }], preserve: [], probes: [] })

async function runJob(input: unknown, timeoutMs = 200_000): Promise<{ job: JobSnapshot; events: JobEvent[] }> {
  const job = await call<JobSnapshot>(host, 'jobs.start', input)
  const events = await rec.waitForEnd(job.id, timeoutMs)
  expectJobInvariants(events)
  return { job, events }
}

const stateOf = (events: JobEvent[]): string | null => {
  const last = events[events.length - 1]!
  return last.type === 'state' ? last.state : null
}

const getExperiment = async (id: string): Promise<Experiment> =>
  (await call<{ experiment: Experiment }>(host, 'experiments.get', { projectId: project.id, experimentId: id })).experiment

const experiments = (): Promise<Experiment[]> => call<Experiment[]>(host, 'experiments.list', { projectId: project.id })

beforeAll(async () => {
  const { dir } = await tiny('sd1')
  host = await startHost({ dataDir: path.join(t.dir, 'data'), projectsDir: path.join(t.dir, 'projects') })
  rec = recordEvents(host)
  project = await call<Project>(host, 'projects.create', { name: 'Evaluation' })
  const { events } = await runJob({ kind: 'register-model', projectId: project.id, dir })
  expect(stateOf(events)).toBe('succeeded')
  model = (await call<Model[]>(host, 'models.list', { projectId: project.id }))[0]!
})

afterAll(async () => {
  await host.stop()
  t.cleanup()
})

describe('evaluating erasures through the engine host', () => {
  let exp: Experiment
  let twoSeeds: ExperimentMetrics

  it('erase "red" with evaluate runs to stored metrics in one job', async () => {
    const { job, events } = await runJob({ kind: 'erase', projectId: project.id, modelId: model.id, spec: spec('red'), params: { m: 8, n: 8 }, gallery, evaluate: { seeds: [1] } })
    expect(stateOf(events)).toBe('succeeded')
    const progress = events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []))
    const phases = [...new Set(progress.map((p) => p.phase))]
    expect(phases.slice(-2)).toEqual(['gallery', 'evaluate'])
    const images = perSeed.erasure + perSeed.preserved + perSeed.generalization
    expect(progress[progress.length - 1]).toMatchObject({ phase: 'evaluate', step: images, total: images })
    exp = (await experiments()).find((e) => e.jobId === job.id)!
    expect(exp.status).toBe('succeeded')
    const m = exp.metrics!
    expect(m).toMatchObject({ evaluator: 'shapeworld-pixels', counts: perSeed, seeds: [1], concept: { color: 'red' }, generation: { steps: 2, guidance: 7.5, scheduler: 'ddim', size: 64 } })
    for (const v of [m.accE, m.accS, m.accG, m.ho]) expect(v >= 0 && v <= 1).toBe(true)
    expect(m.ho).toBeCloseTo(overallScore(m.accE, m.accS, m.accG), 12)
    const result = events.find((e) => e.type === 'result')
    expect(result?.type === 'result' && (result.result as Experiment).metrics).toEqual(m)
  })

  it('evaluate: every prompt × seed judged, metrics replaced and returned', async () => {
    const { job, events } = await runJob({ kind: 'evaluate', projectId: project.id, experimentId: exp.id, seeds: [1, 2] })
    expect(job.title).toBe(`Evaluate experiment ${exp.number}`)
    expect(stateOf(events)).toBe('succeeded')
    const stored = (await getExperiment(exp.id)).metrics!
    expect(stored.counts).toEqual({ erasure: 2 * perSeed.erasure, preserved: 2 * perSeed.preserved, generalization: 2 * perSeed.generalization })
    expect(stored.seeds).toEqual([1, 2])
    expect(stored.concept).toEqual({ color: 'red' })
    expect(stored.evaluatedAt).toBeGreaterThan(exp.metrics!.evaluatedAt)
    const result = events.find((e) => e.type === 'result')
    const outcome = (result?.type === 'result' ? result.result : null) as EvaluationOutcome
    expect(outcome).toEqual({ experimentId: exp.id, concept: { color: 'red' }, metrics: stored })
    const logs = events.flatMap((e) => (e.type === 'log' ? [e.message] : []))
    expect(logs.some((l) => l.startsWith(`Evaluating the erasure of colour red with shapeworld-pixels: ${2 * (perSeed.erasure + perSeed.preserved + perSeed.generalization)} images`))).toBe(true)
    twoSeeds = stored
  })

  it('cancel mid-evaluation: the job ends cancelled and the earlier metrics stay', async () => {
    const job = await call<JobSnapshot>(host, 'jobs.start', { kind: 'evaluate', projectId: project.id, experimentId: exp.id, seeds: [3, 4, 5, 6] })
    await rec.waitFor((e) => e.jobId === job.id && e.type === 'progress' && e.progress.phase === 'evaluate' && e.progress.step >= 3, 120_000)
    await call(host, 'jobs.cancel', { jobId: job.id })
    const events = await rec.waitForEnd(job.id)
    expectJobInvariants(events)
    expect(stateOf(events)).toBe('cancelled')
    const last = events.flatMap((e) => (e.type === 'progress' ? [e.progress] : [])).pop()!
    expect(last.step).toBeLessThan(last.total!)
    const after = await getExperiment(exp.id)
    expect(after.metrics).toEqual(twoSeeds)
    expect(after.status).toBe('succeeded')
  })

  it('a concept the evaluator cannot judge is refused before any work, naming the fix', async () => {
    const { job } = await runJob({ kind: 'erase', projectId: project.id, modelId: model.id, spec: spec('van gogh'), params: { m: 4, n: 4 }, gallery: { ...gallery, enabled: false } })
    const vanGogh = (await experiments()).find((e) => e.jobId === job.id)!
    const refused = call(host, 'jobs.start', { kind: 'evaluate', projectId: project.id, experimentId: vanGogh.id })
    await expect(refused).rejects.toThrow(/invalid-input: Experiment \d+ erases “van gogh”, which names no ShapeWorld colour .* Name the concept to judge: --color or --shape/)
    // Erase with evaluate: refused at start, so no experiment row is made.
    const before = (await experiments()).length
    await expect(call(host, 'jobs.start', { kind: 'erase', projectId: project.id, modelId: model.id, spec: spec('van gogh'), params: {}, gallery, evaluate: true })).rejects.toThrow(/names no ShapeWorld colour/)
    expect(await experiments()).toHaveLength(before)
    const jobs = await call<JobSnapshot[]>(host, 'jobs.list', { projectId: project.id })
    expect(jobs.filter((j) => j.title === `Evaluate experiment ${vanGogh.number}`)).toHaveLength(0)

    // Naming the concept makes it judgeable; counts cap each group.
    const named = await runJob({ kind: 'evaluate', projectId: project.id, experimentId: vanGogh.id, seeds: [1], concept: { color: 'blue', shape: 'square' }, counts: { erasure: 1, preserved: 2, generalization: 1 } })
    expect(stateOf(named.events)).toBe('succeeded')
    expect((await getExperiment(vanGogh.id)).metrics).toMatchObject({ concept: { color: 'blue', shape: 'square' }, counts: { erasure: 1, preserved: 2, generalization: 1 }, seeds: [1] })
  })

  it('an experiment without a finished edit cannot be evaluated', async () => {
    const job = await call<JobSnapshot>(host, 'jobs.start', { kind: 'erase', projectId: project.id, modelId: model.id, spec: spec('red'), params: { m: 5_000_000 }, gallery: { ...gallery, enabled: false } })
    await rec.waitFor((e) => e.jobId === job.id && e.type === 'progress' && e.progress.phase === 'encode')
    await call(host, 'jobs.cancel', { jobId: job.id })
    await rec.waitForEnd(job.id)
    const cancelled = (await experiments()).find((e) => e.jobId === job.id)!
    expect(cancelled.status).toBe('cancelled')
    await expect(call(host, 'jobs.start', { kind: 'evaluate', projectId: project.id, experimentId: cancelled.id })).rejects.toThrow(/conflict: Experiment \d+ has no finished edit to evaluate \(status cancelled\)/)
  })
})
