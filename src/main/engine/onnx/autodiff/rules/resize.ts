/**
 * Gradient of Resize for nearest-neighbour upsampling by integer factors (SD's ×2 upsampler:
 * mode nearest, asymmetric, floor). Such a Resize copies input element i to the block of output
 * elements f·i … f·i + f − 1 on every axis, so dx sums dy over each block: Reshape dy
 * [.., H·f, ..] to [.., H, f, ..] and ReduceSum the f axes away.
 *
 * Whether a node really is a block copy depends on its coordinate_transformation_mode and
 * nearest_mode, so the rule evaluates the ONNX index formula for every output position and
 * compares it with ⌊o/f⌋ (asymmetric + floor and half_pixel + round pass; align_corners does
 * not). Everything else (linear/cubic modes, non-integer or downscaling factors, roi crops, a
 * mapping that is not a block copy) is refused with an error naming the node, never
 * approximated. The factors come from the probed shapes (out/in); a constant `scales` input, if
 * readable, must agree with them.
 */
import type { NodeProto } from 'onnx-buf'
import type { GradContext, GradRule, RuleTable } from '../types'

const resize: GradRule = (node, [dy], ctx) => {
  const grads: (string | null)[] = node.input.map(() => null)
  if (dy === null || dy === undefined || !ctx.needsGrad(0)) return grads
  const x = node.input[0] ?? ''
  const inShape = ctx.info(x).shape
  const factors = blockFactors(node, ctx)
  const split: number[] = []
  const merged: number[] = []
  inShape.forEach((d, i) => {
    const f = factors[i] ?? 1
    split.push(d)
    merged.push(d)
    if (f > 1) {
      split.push(f)
      merged.push(1)
    }
  })
  if (split.length === inShape.length) {
    grads[0] = dy
    return grads
  }
  const blocks = ctx.reshape(dy, split)
  grads[0] = ctx.reshape(ctx.reduceToShape(blocks, split, merged), inShape)
  return grads
}

/** Per-axis integer upscale factors, after checking the node is a nearest block copy. */
function blockFactors(node: NodeProto, ctx: GradContext): number[] {
  const label = `Resize node ${node.name || '(unnamed)'}`
  const refuse = (why: string): never => {
    throw new Error(`${label}: no gradient for ${why}`)
  }
  const mode = stringAttribute(node, 'mode', 'nearest')
  if (mode !== 'nearest') refuse(`mode ${mode} (only nearest upsampling is supported)`)
  const transform = stringAttribute(
    node,
    'coordinate_transformation_mode',
    ctx.opset >= 11 ? 'half_pixel' : 'asymmetric',
  )
  if (transform === 'tf_crop_and_resize')
    refuse('coordinate_transformation_mode tf_crop_and_resize')
  const nearest = stringAttribute(
    node,
    'nearest_mode',
    ctx.opset >= 11 ? 'round_prefer_floor' : 'floor',
  )
  const inShape = ctx.info(node.input[0] ?? '').shape
  const outShape = ctx.info(node.output[0] ?? '').shape
  const scalesName = ctx.opset >= 11 ? node.input[2] : node.input[1]
  const declared = scalesName ? ctx.intValue(scalesName) : undefined
  return inShape.map((inSize, axis) => {
    const outSize = outShape[axis] ?? 0
    const f = outSize / inSize
    if (!Number.isInteger(f) || f < 1) {
      refuse(`size ${inSize} → ${outSize} on axis ${axis} (only integer upscaling is supported)`)
    }
    const scale = declared?.[axis]
    if (scale !== undefined && declared?.length === inShape.length && scale !== f) {
      refuse(`scale ${scale} on axis ${axis}, which is not ${outSize}/${inSize}`)
    }
    for (let o = 0; o < outSize; o++) {
      const source = sourceIndex(o, f, inSize, outSize, transform, nearest, refuse)
      if (source !== Math.floor(o / f)) {
        refuse(
          `${transform}/${nearest} on axis ${axis}: output ${o} reads input ${source}, ` +
            `not a block copy by ${f}`,
        )
      }
    }
    return f
  })
}

/** The input index ONNX Resize (mode nearest) reads for output index `o` on one axis. */
function sourceIndex(
  o: number,
  scale: number,
  inSize: number,
  outSize: number,
  transform: string,
  nearest: string,
  refuse: (why: string) => never,
): number {
  let x: number
  switch (transform) {
    case 'half_pixel':
      x = (o + 0.5) / scale - 0.5
      break
    case 'pytorch_half_pixel':
      x = outSize > 1 ? (o + 0.5) / scale - 0.5 : 0
      break
    case 'align_corners':
      x = outSize === 1 ? 0 : (o * (inSize - 1)) / (outSize - 1)
      break
    case 'asymmetric':
      x = o / scale
      break
    case 'tf_half_pixel_for_nn':
      x = (o + 0.5) / scale
      break
    case 'half_pixel_symmetric': {
      const adjustment = outSize / (scale * inSize)
      x = (inSize / 2) * (1 - adjustment) + (o + 0.5) / scale - 0.5
      break
    }
    default:
      return refuse(`coordinate_transformation_mode ${transform}`)
  }
  let i: number
  switch (nearest) {
    case 'round_prefer_floor':
      i = x === Math.floor(x) + 0.5 ? Math.floor(x) : Math.round(x)
      break
    case 'round_prefer_ceil':
      i = x === Math.floor(x) + 0.5 ? Math.ceil(x) : Math.round(x)
      break
    case 'floor':
      i = Math.floor(x)
      break
    case 'ceil':
      i = Math.ceil(x)
      break
    default:
      return refuse(`nearest_mode ${nearest}`)
  }
  return Math.min(Math.max(i, 0), inSize - 1)
}

function stringAttribute(node: NodeProto, name: string, fallback: string): string {
  const a = node.attribute.find((x) => x.name === name)
  return a === undefined ? fallback : new TextDecoder().decode(a.s)
}

export const resizeRules: RuleTable = { Resize: resize }
