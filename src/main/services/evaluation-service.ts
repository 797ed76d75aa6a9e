import type { EvaluationConcept, EvaluationOutcome, EvaluationSettings, Experiment, ExperimentMetrics, Project, StartEvaluate } from '../../shared/contract'
import { DEFAULT_EVALUATION_SEEDS } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import type { ImageClassifier } from '../engine/eval/classifier'
import { evaluateErasure, planEvaluation } from '../engine/eval/evaluate'
import type { GroupCounts } from '../engine/eval/metrics'
import { shapeWorldClassifier } from '../engine/eval/shapeworld-classifier'
import { OrtMatMul } from '../engine/linalg/ort-matmul'
import type { Txt2ImgHooks } from '../engine/sd/pipelines/txt2img'
import type { SdModel } from '../engine/sd/sd-model'
import { drawRgb, gallerySize, loadErasedHooks, needsKvInputs } from './erased-model'
import { conceptText, resolveEvaluationConcept } from './evaluation-concept'
import type { ExperimentsService } from './experiments-service'
import type { JobContext } from './jobs/job-service'
import type { ModelCache } from './model-cache'
import type { ModelsService } from './models-service'
import type { SettingsService } from './settings-service'

/** Evaluation settings checked against an experiment: the concept is resolved, the plan sized. */
export interface PreparedEvaluation {
  readonly concept: EvaluationConcept
  readonly seeds: readonly number[]
  readonly counts: Partial<GroupCounts>
  /** Unset: the experiment's gallery settings. */
  readonly steps: number | undefined
  readonly guidance: number | undefined
  /** Images the evaluation draws and judges. */
  readonly images: number
}

/**
 * Evaluates an experiment's erased model (the `evaluate` job, and the erase job's optional last
 * step): the ShapeWorld evaluation prompts × seeds drawn with the edit exactly as the gallery
 * draws it, each image judged by the classifier, and the metrics stored with the experiment only
 * when every image is judged, so a cancelled or failed evaluation leaves earlier metrics intact.
 */
export class EvaluationService {
  readonly classifier: ImageClassifier = shapeWorldClassifier

  constructor(
    private readonly experiments: ExperimentsService,
    private readonly models: ModelsService,
    private readonly cache: ModelCache,
    private readonly settings: SettingsService,
  ) {}

  /**
   * Checks settings against an experiment's spec (or an erase about to run): the concept asked
   * for or inferred from the concept text, seeds and counts. Throws a StudioError naming the fix.
   */
  prepareFor(exp: Pick<Experiment, 'number' | 'spec'>, settings: Partial<EvaluationSettings>): PreparedEvaluation {
    const concept = resolveEvaluationConcept(exp, settings.concept, this.classifier)
    const seeds = settings.seeds ?? DEFAULT_EVALUATION_SEEDS
    const counts = settings.counts ?? {}
    let images: number
    try {
      images = planEvaluation(concept, seeds, counts).length
    } catch (err) {
      throw new StudioError('invalid-input', (err as Error).message)
    }
    return { concept, seeds: [...seeds], counts: { ...counts }, steps: settings.steps, guidance: settings.guidance, images }
  }

  /** The evaluate job's checks, before it is queued: a finished edit and valid settings. */
  prepare(project: Project, input: StartEvaluate): { experiment: Experiment; evaluation: PreparedEvaluation } {
    const { experiment } = this.experiments.get(project, input.experimentId)
    if (experiment.status !== 'succeeded' || !experiment.artifactPath) {
      throw new StudioError('conflict', `Experiment ${experiment.number} has no finished edit to evaluate (status ${experiment.status}); evaluate it once its run has succeeded.`)
    }
    if (!experiment.modelId) throw new StudioError('not-found', `Experiment ${experiment.number}'s model was removed from the project; register it again to evaluate.`)
    return { experiment, evaluation: this.prepareFor(experiment, input) }
  }

  /** The evaluate job: loads the model, rebuilds the edit from the experiment's files, evaluates. */
  async run(project: Project, experimentId: string, evaluation: PreparedEvaluation, ctx: JobContext): Promise<EvaluationOutcome> {
    const { experiment: exp } = this.experiments.get(project, experimentId)
    if (!exp.modelId) throw new StudioError('not-found', `Experiment ${exp.number}'s model was removed from the project; register it again to evaluate.`)
    const modelRow = this.models.get(project, exp.modelId)
    const s = this.settings.get()
    ctx.onProgress({ phase: 'load', step: 0, total: null })
    const model = await this.cache.acquire(modelRow.dir, { provider: s.executionProvider, threads: s.threads }, { kvInputs: needsKvInputs(exp) })
    if (model.runtime.fallbackReason) ctx.log(model.runtime.fallbackReason, 'warn')
    const mm = new OrtMatMul()
    try {
      const hooks = await loadErasedHooks(project, exp, model, mm)
      return await this.evaluateWith(project, exp, model, hooks, evaluation, ctx)
    } finally {
      await mm.dispose()
    }
  }

  /**
   * Draws and judges with `hooks` (the erased model), then stores the metrics. Steps, guidance,
   * scheduler and size default to the experiment's gallery settings; all are recorded.
   */
  async evaluateWith(project: Project, exp: Experiment, model: SdModel, hooks: Txt2ImgHooks, evaluation: PreparedEvaluation, ctx: JobContext): Promise<EvaluationOutcome> {
    const { concept, seeds, counts } = evaluation
    const size = gallerySize(exp, model)
    const generation = { steps: evaluation.steps ?? exp.gallery.steps, guidance: evaluation.guidance ?? exp.gallery.guidance, scheduler: exp.gallery.scheduler, size }
    if (model.facts.sdVersion !== 'custom') {
      ctx.log(`The ${this.classifier.name} evaluator judges one ShapeWorld shape on a plain background; on a ${model.facts.sdVersion} model its figures say little.`, 'warn')
    }
    ctx.log(`Evaluating the erasure of ${conceptText(concept)} with ${this.classifier.name}: ${evaluation.images} images, seeds ${seeds.join(', ')}; ${generation.steps} steps, guidance ${generation.guidance}, ${size}×${size}.`)
    ctx.onProgress({ phase: 'evaluate', step: 0, total: evaluation.images })
    const { metrics, items } = await evaluateErasure({
      generate: (prompt, seed) =>
        drawRgb(model, { prompt, negativePrompt: '', seed, steps: generation.steps, guidance: generation.guidance, scheduler: generation.scheduler, width: size, height: size }, hooks, ctx.signal),
      concept,
      seeds,
      counts,
      classifier: this.classifier,
      signal: ctx.signal,
      onProgress: (p) => ctx.onProgress({ phase: 'evaluate', step: p.step, total: p.total }),
    })
    // Nothing awaits between this check and the write: a cancel either wins here or comes too late.
    ctx.signal.throwIfAborted()
    const stored: ExperimentMetrics = { ...metrics, concept, generation }
    this.experiments.repo(project).setMetrics(exp.id, stored)
    const unknown = items.filter((i) => i.classification.confidence === 0).length
    ctx.log(`Acc_e ${pct(metrics.accE)}, Acc_s ${pct(metrics.accS)}, Acc_g ${pct(metrics.accG)}, H_o ${pct(metrics.ho)}${unknown > 0 ? `; ${unknown} of ${items.length} images showed no clear shape` : ''}.`)
    return { experimentId: exp.id, concept, metrics: stored }
  }
}

const pct = (v: number): string => `${(v * 100).toFixed(1)} %`
