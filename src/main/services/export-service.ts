import { createHash, randomUUID } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { ExportOptions, ExportPreview, ExportRecord, Project, StartExport } from '../../shared/contract'
import { StudioError } from '../../shared/errors'
import { ExportsRepo } from '../db/repositories/exports-repo'
import { readKvWeights } from '../engine/erasure/edit-artifact'
import { loraDeltasFromFile } from '../engine/erasure/lora/lora-files'
import type { LayerDelta } from '../engine/export/lora-export'
import { buildLoraExport } from '../engine/export/lora-export'
import { writeMergedModel } from '../engine/export/merged-model'
import { decodeSafeTensors, encodeSafeTensors, toFloat32Array } from '../engine/export/safetensors'
import { resolveModelFolder } from '../engine/sd/model-folder'
import { readUnetKv } from '../engine/sd/unet-kv'
import { writeFileAtomic } from '../util/atomic-write'
import { ensureWritableFolder } from '../util/writable-folder'
import type { ExperimentsService } from './experiments-service'
import type { JobContext } from './jobs/job-service'
import type { ModelsService } from './models-service'
import type { ProjectStore } from './project-store'

/**
 * Exports an experiment's whole edit (closed form, plus the LoRA stage when present) as a kohya
 * or PEFT LoRA file, or as a merged model folder. Files are written under a temporary name and
 * renamed; each export is recorded with its path, format, per-layer errors and a checksum.
 */
export class ExportService {
  constructor(
    private readonly store: ProjectStore,
    private readonly experiments: ExperimentsService,
    private readonly models: ModelsService,
  ) {}

  list(project: Project, experimentId?: string): ExportRecord[] {
    return new ExportsRepo(this.store.db(project.dir)).list(experimentId)
  }

  /** Per-layer whole deltas ΔW [C, d] read from the experiment's edit artifact. */
  layerDeltas(project: Project, experimentId: string): { deltas: LayerDelta[]; sdVersion: '1.x' | '2.x' | 'custom'; name: string; params: string; modelId: string } {
    const { experiment } = this.experiments.get(project, experimentId)
    if (experiment.status !== 'succeeded' || !experiment.artifactPath || !experiment.modelId) {
      throw new StudioError('conflict', `Experiment ${experiment.number} has no finished edit to export (status ${experiment.status}).`)
    }
    const model = this.models.get(project, experiment.modelId)
    const file = decodeSafeTensors(readFileSync(path.join(project.dir, experiment.artifactPath)), experiment.artifactPath)
    const deltas: LayerDelta[] = []
    for (const [key, t] of file.tensors) {
      if (!key.endsWith('.delta')) continue
      deltas.push({ path: key.slice(0, -'.delta'.length), width: t.shape[0]!, contextDim: t.shape[1]!, delta: toFloat32Array(t) })
    }
    if (experiment.loraPath) {
      // Full variant: the whole edit is the closed form plus the LoRA stage's s·B·A.
      const lora = loraDeltasFromFile(readFileSync(path.join(project.dir, experiment.loraPath)))
      for (const d of deltas) {
        const extra = lora.get(d.path)
        if (extra) for (let i = 0; i < extra.length; i++) d.delta[i] = d.delta[i]! + extra[i]!
      }
    }
    deltas.sort((a, b) => a.path.localeCompare(b.path))
    return { deltas, sdVersion: model.facts.sdVersion, name: experiment.name, params: JSON.stringify(experiment.params), modelId: model.id }
  }

  preview(project: Project, experimentId: string, options: ExportOptions): ExportPreview {
    if (options.format === 'merged') {
      const { deltas } = this.layerDeltas(project, experimentId)
      return { layers: deltas.map((d) => ({ path: d.path, rank: Math.min(d.width, d.contextDim), relError: 0 })), maxRelError: 0, bytes: 0 }
    }
    const built = this.build(project, experimentId, options)
    const bytes = [...built.tensors.values()].reduce((s, t) => s + t.data.byteLength, 0)
    return { layers: [...built.layers], maxRelError: Math.max(0, ...built.layers.map((l) => l.relError)), bytes }
  }

  async run(project: Project, input: StartExport, ctx: JobContext): Promise<ExportRecord> {
    const out = path.resolve(project.dir, input.out)
    ctx.onProgress({ phase: 'factorize', step: 0, total: 1 })
    let layers: ExportRecord['layers']
    if (input.options.format === 'merged') {
      const { deltas, modelId } = this.layerDeltas(project, input.experimentId)
      const model = this.models.get(project, modelId)
      const folder = await resolveModelFolder(model.dir)
      const { unet, kv } = await readUnetKv(folder)
      const weights = await readKvWeights(unet, path.dirname(folder.unet), kv.projections)
      const byPath = new Map(deltas.map((d) => [d.path, d]))
      const edits = new Map<string, { data: Float32Array; dims: readonly number[] }>()
      for (const p of kv.projections) {
        const d = byPath.get(p.path)
        const w = weights.get(p.path)
        if (!d || !w) throw new StudioError('invalid-input', `The edit has no delta for ${p.path}; it was made for another model.`)
        const b = Float32Array.from(w.b)
        for (let k = 0; k < p.contextDim; k++) for (let c = 0; c < p.width; c++) b[k * p.width + c] = b[k * p.width + c]! + d.delta[c * p.contextDim + k]!
        edits.set(p.initializer, { data: b, dims: [p.contextDim, p.width] })
      }
      ctx.signal.throwIfAborted()
      ctx.onProgress({ phase: 'write', step: 0, total: 1 })
      await writeMergedModel(folder, unet, edits, out)
      layers = deltas.map((d) => ({ path: d.path, rank: Math.min(d.width, d.contextDim), relError: 0 }))
    } else {
      const built = this.build(project, input.experimentId, input.options)
      for (const l of built.layers) ctx.log(`${l.path}: rank ${l.rank}, relative error ${l.relError.toExponential(2)}`)
      ctx.signal.throwIfAborted()
      ctx.onProgress({ phase: 'write', step: 0, total: 1 })
      await ensureWritableFolder(path.dirname(out))
      try {
        await writeFileAtomic(out, encodeSafeTensors(built.tensors, built.metadata))
      } catch (err) {
        throw new StudioError('not-writable', `Could not write ${out}: ${(err as Error).message}. No partial file was left; free some space or choose another folder.`)
      }
      layers = [...built.layers]
    }
    const sha256 = input.options.format === 'merged' ? hashFile(path.join(out, 'unet', 'model.onnx')) : hashFile(out)
    const record: ExportRecord = {
      id: randomUUID(),
      experimentId: input.experimentId,
      format: input.options.format,
      rank: input.options.format === 'merged' || input.options.fullRank ? null : input.options.rank,
      dtype: input.options.dtype,
      path: out,
      layers,
      sha256,
      bytes: input.options.format === 'merged' ? statSync(path.join(out, 'unet', 'model.onnx')).size : statSync(out).size,
      createdAt: Date.now(),
    }
    new ExportsRepo(this.store.db(project.dir)).insert(record)
    ctx.onProgress({ phase: 'write', step: 1, total: 1 })
    return record
  }

  private build(project: Project, experimentId: string, options: ExportOptions): ReturnType<typeof buildLoraExport> {
    const { deltas, sdVersion, name, params } = this.layerDeltas(project, experimentId)
    return buildLoraExport(deltas, {
      format: options.format === 'peft' ? 'peft' : 'kohya',
      rank: options.rank,
      dtype: options.dtype,
      fullRank: options.fullRank,
      sdVersion,
      outputName: name,
      extraMetadata: { experiment_id: experimentId, method: 'RealEra', params },
    })
  }
}

function hashFile(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}
