/**
 * Opens an ONNX Runtime session on an in-memory ModelProto. The probe graph and the gradient
 * graph are derived models that keep the forward model's external-data references (a 3.4 GB
 * U-Net's weights stay in `weights.pb`), and ONNX Runtime resolves those relative to the model
 * file. So a model with external data is written into a fresh temp folder beside links to its
 * side files (hard link, else symlink, else copy); a self-contained one is loaded from bytes.
 */
import { copyFile, link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import * as ort from 'onnxruntime-node'
import type { ModelProto } from 'onnx-buf'
import { externalRef } from '../external-data'
import { encodeModel } from '../model-io'

/**
 * Session options for running a float32 gradient graph on a large model, measured on the
 * SD1.5-width U-Net at 64×64 latents (`npm run bench -- autodiff`), fwd+bwd 25.5 → 10.4 s and
 * peak RSS 17.8 → 8.1 GiB (with remat.ts and the rule changes):
 * - 'all': the layout pass turns Conv into NCHWc Conv with a reordered copy of its weight, which
 *   ran the forward 0.4 s faster. The weights the backward pass also reads as they are
 *   (ConvTranspose, SD's 16×16 and 8×8 levels: 1.9 GB) are pinned as overridable initializers
 *   by the builder (`pinnedWeights`), so only weights nothing else reads get reordered;
 * - no memory pattern: the pattern planner lays every tensor of the run out in one block and
 *   fragments around the 0.5 GiB attention tensors (9.9 → 8.3 GiB without it). The CPU arena
 *   stays: without the pattern it reuses those blocks, where plain malloc page-faults every
 *   one of them afresh each run (12.7 → 11.5 s, 7.7 → 7.8 GiB);
 * - no pre-packing: MatMul/Gemm kernels pack their own copy of a weight that the backward pass
 *   also reads in its original layout.
 * Float64 graphs (gradient checks) keep the default 'basic' (see `sessionOptions` below).
 */
export const GRADIENT_SESSION_OPTIONS: Readonly<ort.InferenceSession.SessionOptions> = {
  graphOptimizationLevel: 'all',
  enableMemPattern: false,
  extra: { session: { disable_prepacking: '1' } },
}

export interface ModelSessionOptions {
  /** Folder the model's external-data locations are relative to (required when it has external tensors). */
  modelDir?: string
  /**
   * Merged over the defaults: warnings silenced (probe graphs trip ORT's shape merging), and
   * 'basic' optimization, since the 'extended' fusions swap in com.microsoft kernels, some
   * float32-only (QuickGelu), which breaks float64 graphs that plain ONNX runs fine.
   */
  sessionOptions?: ort.InferenceSession.SessionOptions
  /** Where the temp folder goes (default: the OS temp folder). */
  tempRoot?: string
}

export interface ModelSession {
  readonly session: ort.InferenceSession
  /** Releases the session and removes the temp folder, if one was made. */
  readonly dispose: () => Promise<void>
}

/** The side files a model's external tensors point into, relative to its folder. */
export function externalDataFiles(model: ModelProto): string[] {
  const files = new Set<string>()
  for (const t of model.graph?.initializer ?? []) {
    const ref = externalRef(t)
    if (ref !== undefined) files.add(ref.location)
  }
  return [...files].sort()
}

export async function openModelSession(
  model: ModelProto,
  options: ModelSessionOptions = {},
): Promise<ModelSession> {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    logSeverityLevel: 3,
    graphOptimizationLevel: 'basic',
    ...options.sessionOptions,
  }
  const files = externalDataFiles(model)
  if (files.length === 0) {
    const session = await ort.InferenceSession.create(encodeModel(model), sessionOptions)
    return { session, dispose: () => session.release() }
  }
  const modelDir = options.modelDir
  if (modelDir === undefined) {
    throw new Error(
      `the model keeps weights in ${files.join(', ')}; pass the folder they are in (modelDir)`,
    )
  }
  const dir = await mkdtemp(join(options.tempRoot ?? tmpdir(), 'realera-autodiff-'))
  try {
    for (const file of files) await linkOrCopy(join(modelDir, file), join(dir, file))
    const path = join(dir, 'model.onnx')
    await writeFile(path, encodeModel(model))
    const session = await ort.InferenceSession.create(path, sessionOptions)
    return {
      session,
      dispose: async () => {
        await session.release()
        await rm(dir, { recursive: true, force: true })
      },
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true })
  try {
    await link(from, to)
  } catch {
    try {
      await symlink(from, to)
    } catch {
      await copyFile(from, to)
    }
  }
}
