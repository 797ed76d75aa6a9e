/**
 * Gradient checks for the ONNX autodiff: analytic gradients from the emitted gradient graph
 * against central finite differences of the same scalar loss, run through the forward graph.
 *
 * The loss is Σ output · W with a fixed random W (seeded), i.e. a vector-Jacobian product with
 * a random output gradient. An all-ones output gradient would hide rules that mix up output
 * elements (a wrong transpose, a sum over the wrong axis) whenever the mix-up is symmetric.
 *
 * ## Writing a rule test
 * 1. Build a tiny forward graph around the op with `testModel` (see tests/unit/engine/autodiff),
 *    in float64 when ONNX Runtime's CPU provider has double kernels for the op and for the ops
 *    its rule emits (most math ops, MatMul, Gemm, Softmax, ReduceSum, Where, Expand,
 *    Transpose…). Conv, InstanceNormalization, Resize and Erf are float32-only.
 * 2. Feed random inputs (`randomFeeds`; offsets away from 0 where the op is singular there,
 *    e.g. Sqrt, Log, Div) with shapes that exercise broadcasting (size-1 axes, missing leading
 *    axes, scalars) and distinct sizes, so a swapped axis cannot pass by symmetry.
 * 3. `await gradCheck({ model, feeds, wrt, output, dtype })` throws a readable report when an
 *    element is off. The float64 default tolerance is the task's 1e-4. In float32 pass an
 *    explicit `tolerance` (and `eps`) and justify the numbers in a comment.
 *
 * ## What is compared
 * - Coordinates: per wrt input, every element when it has at most `samples` (default 30),
 *   else `samples` distinct random ones (seeded); each costs two forward runs. The error is
 *   |analytic − numeric| / max(|analytic|, |numeric|, floor), floor = `floorFraction` × the
 *   input's largest |numeric| (1e-3 in float64, 1e-2 in float32): a pure relative error is
 *   meaningless where the true gradient is ~0, so those are scored on absolute error at the
 *   scale of the input's real gradients.
 * - Directional checks (`directions`, default 0): the central difference of the loss along a
 *   random direction v (all elements at once) against Σ gradient·v. Each float32 forward run
 *   carries rounding noise of roughly fixed size; moving one weight element changes the loss
 *   by that element's (often tiny) gradient, while moving all of them changes it by
 *   ‖gradient‖, so the direction sees whole-weight errors at a far better signal-to-noise
 *   ratio. The floor there is `floorFraction` × ‖gradient‖·‖v‖/√n (the typical |⟨g, v⟩|).
 * - Steps are the ones actually taken after rounding the perturbed input to its precision, and
 *   the loss is summed in float64 on the JS side.
 */
import * as ort from 'onnxruntime-node'
import type { ModelProto } from 'onnx-buf'
import { buildGradientModel } from '../../src/main/engine/onnx/autodiff/build-gradient'
import type { GradientModel } from '../../src/main/engine/onnx/autodiff/build-gradient'
import { openModelSession } from '../../src/main/engine/onnx/autodiff/session'
import type { RuleTable } from '../../src/main/engine/onnx/autodiff/types'
import { normals, randomTensor, seededRng } from './grad-check-models'
import type { FloatDType } from './grad-check-models'

export { normals, randomFeeds, randomTensor, seededRng, testModel } from './grad-check-models'
export type { FloatDType } from './grad-check-models'

type FloatData = Float64Array | Float32Array

export interface GradCheckOptions {
  readonly model: ModelProto
  /** One tensor per graph input. */
  readonly feeds: Readonly<Record<string, ort.Tensor>>
  readonly wrt: readonly string[]
  /** The forward output the weighted-sum loss reads. */
  readonly output: string
  /** The precision the model computes in: picks the default step and tolerance. */
  readonly dtype: FloatDType
  /** Finite-difference step (default 1e-6 in float64, 1e-2 in float32). */
  readonly eps?: number
  /** Largest accepted error per coordinate (default 1e-4 in float64, 2e-2 in float32). */
  readonly tolerance?: number
  /** Coordinates checked per input (default 30; 0 for directional checks only). */
  /**
   * Which coordinates when an input has more than `samples`: 'random' (default) or 'largest'
   * |analytic gradient| (float32 checks: their central differences stand clear of rounding).
   */
  readonly pick?: 'random' | 'largest'
  readonly samples?: number
  readonly floorFraction?: number
  /** Random directions checked per input (default 0). */
  readonly directions?: number
  /**
   * Floor of the directional errors as a fraction of the typical |⟨g, v⟩| = ‖g‖‖v‖/√n
   * (default 1): a direction that happens to be nearly orthogonal to the gradient is scored on
   * absolute error at the size a directional derivative of this input usually has.
   */
  readonly directionFloorFraction?: number
  /** Largest accepted error per direction (default `tolerance`). */
  readonly directionTolerance?: number
  readonly seed?: number
  /** Folder of the model's external data. */
  readonly modelDir?: string
  readonly rules?: RuleTable
  /** Passed to the builder (0: recompute every qualifying Softmax, to check remat.ts). */
  readonly rematMinBytes?: number
  /** Passed to the builder (0: no Softmax keeps its forward copy). */
  readonly rematKeepLast?: number
}

export interface ElementCheck {
  readonly input: string
  /** The checked coordinates in the input's shape, or `direction k`. */
  readonly at: string
  readonly analytic: number
  readonly numeric: number
  readonly error: number
}

export interface GradCheckReport {
  /** The largest coordinate error per wrt input. */
  readonly maxRelError: Readonly<Record<string, number>>
  /** The largest directional error per wrt input (when directions were checked). */
  readonly maxDirectionError: Readonly<Record<string, number>>
  /** The worst check per wrt input (coordinates or directions, by error / tolerance). */
  readonly worst: Readonly<Record<string, ElementCheck>>
  readonly gradient: GradientModel
}

const WEIGHT_INPUT = 'grad_check_weight'

export async function gradCheck(options: GradCheckOptions): Promise<GradCheckReport> {
  const f64 = options.dtype === 'float64'
  const eps = options.eps ?? (f64 ? 1e-6 : 1e-2)
  const tolerance = options.tolerance ?? (f64 ? 1e-4 : 2e-2)
  const directionTolerance = options.directionTolerance ?? tolerance
  const floorFraction = options.floorFraction ?? (f64 ? 1e-3 : 1e-2)
  const directionFloor = options.directionFloorFraction ?? 1
  const rng = seededRng(options.seed ?? 12345)
  const where = options.modelDir === undefined ? {} : { modelDir: options.modelDir }

  const gradient = await buildGradientModel(options.model, {
    wrt: options.wrt,
    loss: { kind: 'weighted-sum', output: options.output, weightInput: WEIGHT_INPUT },
    probeFeeds: options.feeds,
    ...where,
    ...(options.rules === undefined ? {} : { rules: options.rules }),
    ...(options.rematMinBytes === undefined ? {} : { rematMinBytes: options.rematMinBytes }),
    ...(options.rematKeepLast === undefined ? {} : { rematKeepLast: options.rematKeepLast }),
  })
  const outType = gradient.probe.values.get(options.output)
  if (outType?.type !== 'float64' && outType?.type !== 'float32') {
    throw new Error(`gradCheck needs a float32/64 output; ${options.output} is ${outType?.type}`)
  }
  const weight = randomTensor(outType.type, outType.shape, rng)
  const grads = await analyticGradients(gradient, options, weight, where)

  const forward = await openModelSession(options.model, where)
  const maxRelError: Record<string, number> = {}
  const maxDirectionError: Record<string, number> = {}
  const worst: Record<string, ElementCheck> = {}
  const failures: string[] = []
  try {
    const weightValues = weight.data as FloatData
    const loss = async (w: string, data: FloatData, dims: readonly number[]): Promise<number> => {
      const feeds = { ...options.feeds, [w]: floatTensor(data, dims) }
      const out = (await forward.session.run(feeds, [options.output]))[options.output]
      const values = out?.data as FloatData
      let sum = 0
      for (let i = 0; i < values.length; i++) sum += (values[i] ?? 0) * (weightValues[i] ?? 0)
      return sum
    }
    for (const w of options.wrt) {
      const feed = options.feeds[w]
      const grad = grads[w]
      if (feed === undefined || grad === undefined) throw new Error(`no feed or gradient for ${w}`)
      const base = feed.data as FloatData
      const dims = feed.dims
      const lossAt = (data: FloatData): Promise<number> => loss(w, data, dims)

      const coords: ElementCheck[] = []
      const samples = options.samples ?? 30
      const picked =
        options.pick === 'largest'
          ? largestIndices(grad, samples)
          : pickIndices(base.length, samples, rng)
      for (const index of picked) {
        const step = new Float64Array(base.length)
        step[index] = 1
        const { numeric, analytic } = await directional(base, step, eps, grad, lossAt)
        coords.push({
          input: w,
          at: `[${coordsOf(index, dims).join(', ')}]`,
          analytic,
          numeric,
          error: 0,
        })
      }
      const floor = floorFraction * Math.max(0, ...coords.map((c) => Math.abs(c.numeric)))
      const scored = coords.map((c) => score(c, floor))

      const dirs: ElementCheck[] = []
      const norm = norm2(grad)
      for (let k = 0; k < (options.directions ?? 0); k++) {
        const v = normals(base.length, rng)
        const { numeric, analytic } = await directional(base, v, eps, grad, lossAt)
        const floorK = (directionFloor * norm * norm2(v)) / Math.sqrt(base.length)
        dirs.push(score({ input: w, at: `direction ${k}`, analytic, numeric, error: 0 }, floorK))
      }

      maxRelError[w] = Math.max(0, ...scored.map((c) => c.error))
      if (dirs.length > 0) maxDirectionError[w] = Math.max(...dirs.map((c) => c.error))
      const ranked = [
        ...scored.map((c) => ({ c, r: c.error / tolerance })),
        ...dirs.map((c) => ({ c, r: c.error / directionTolerance })),
      ].sort((p, q) => q.r - p.r)
      if (ranked[0] !== undefined) worst[w] = ranked[0].c
      const bad = ranked.filter((x) => !(x.r <= 1)).map((x) => x.c)
      if (bad.length > 0) failures.push(describe(w, bad, scored.length + dirs.length))
    }
  } finally {
    await forward.dispose()
  }
  if (failures.length > 0) {
    const head = `gradient check failed (tolerance ${tolerance}, directions ${directionTolerance}, step ${eps}):`
    throw new Error([head, ...failures].join('\n'))
  }
  return { maxRelError, maxDirectionError, worst, gradient }
}

async function analyticGradients(
  gradient: GradientModel,
  options: GradCheckOptions,
  weight: ort.Tensor,
  where: { modelDir?: string },
): Promise<Record<string, FloatData>> {
  const { session, dispose } = await openModelSession(gradient.model, where)
  try {
    const result = await session.run({ ...options.feeds, [WEIGHT_INPUT]: weight })
    const grads: Record<string, FloatData> = {}
    for (const w of options.wrt) grads[w] = result[gradient.grads[w] ?? '']?.data as FloatData
    return grads
  } finally {
    await dispose()
  }
}

/**
 * Central difference along `v`, and the analytic value for the step actually taken: the
 * perturbed inputs are rounded to the input's precision, so the analytic side uses
 * Σ g·(x₊ − x₋) / 2ε over the rounded values rather than Σ g·v.
 */
async function directional(
  base: FloatData,
  v: Float64Array,
  eps: number,
  grad: FloatData,
  lossAt: (data: FloatData) => Promise<number>,
): Promise<{ numeric: number; analytic: number }> {
  const plus = base.slice()
  const minus = base.slice()
  let analytic = 0
  for (let i = 0; i < base.length; i++) {
    const d = v[i] ?? 0
    if (d === 0) continue
    plus[i] = (base[i] ?? 0) + eps * d
    minus[i] = (base[i] ?? 0) - eps * d
    analytic += (grad[i] ?? 0) * ((plus[i] ?? 0) - (minus[i] ?? 0))
  }
  const numeric = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * eps)
  return { numeric, analytic: analytic / (2 * eps) }
}

function score(c: ElementCheck, floor: number): ElementCheck {
  const { analytic: a, numeric: n } = c
  const denominator = Math.max(Math.abs(a), Math.abs(n), floor, 1e-30)
  return { ...c, error: Number.isFinite(a) ? Math.abs(a - n) / denominator : Infinity }
}

function describe(input: string, bad: readonly ElementCheck[], checked: number): string {
  const lines = [`  ${input}: ${bad.length} of ${checked} checked elements off`]
  for (const c of bad.slice(0, 5)) {
    lines.push(
      `    ${c.at} analytic ${c.analytic.toPrecision(8)} numeric ${c.numeric.toPrecision(8)} error ${c.error.toExponential(2)}`,
    )
  }
  return lines.join('\n')
}

/** The `samples` indices with the largest |analytic gradient|, sorted. */
function largestIndices(grad: FloatData, samples: number): number[] {
  const order = Array.from(grad, (g, i) => ({ g: Math.abs(g), i })).sort((a, b) => b.g - a.g)
  return order
    .slice(0, samples)
    .map((x) => x.i)
    .sort((a, b) => a - b)
}

/** Every index when there are at most `samples`, else `samples` distinct random ones, sorted. */
function pickIndices(count: number, samples: number, rng: () => number): number[] {
  if (count <= samples) return Array.from({ length: count }, (_, i) => i)
  const picked = new Set<number>()
  while (picked.size < samples) picked.add(Math.floor(rng() * count))
  return [...picked].sort((a, b) => a - b)
}

function coordsOf(index: number, dims: readonly number[]): number[] {
  const coords = new Array<number>(dims.length).fill(0)
  let rest = index
  for (let i = dims.length - 1; i >= 0; i--) {
    const d = dims[i] ?? 1
    coords[i] = rest % d
    rest = Math.floor(rest / d)
  }
  return coords
}

function norm2(values: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += (values[i] ?? 0) ** 2
  return Math.sqrt(sum)
}

function floatTensor(data: FloatData, dims: readonly number[]): ort.Tensor {
  return data instanceof Float64Array
    ? new ort.Tensor('float64', data, dims)
    : new ort.Tensor('float32', data, dims)
}
