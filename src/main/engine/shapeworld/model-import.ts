/**
 * Reads a trained ShapeWorld folder's parameters back into a ParamSet, so a run can start from
 * a model instead of seeded weights (`npm run train:shapeworld -- --init-from DIR`). The
 * exported graphs are a pure function of the config, so rebuilding them with a recording hook
 * names every parameter's initializer; each is checked for its dims and read as float32.
 */
import { join } from 'node:path'
import { readInitializer, readModel } from '../onnx'
import type { NetContext, ParamHook } from '../tiny/net-context'
import { buildTextEncoder } from '../tiny/text-encoder-graph'
import { buildUNet } from '../tiny/unet-graph'
import { textEncoderConfig, unetConfig } from './model-config'
import type { ShapeWorldModelConfig } from './model-config'
import { shapeWorldContext } from './model-graphs'
import type { ParamSet } from './model-graphs'

interface Placement {
  readonly key: string
  readonly value: string
  readonly dims: readonly number[]
}

function placements(build: (ctx: NetContext) => void): Placement[] {
  const found: Placement[] = []
  const hook: ParamHook = ({ key, value, dims, seeded }) => {
    found.push({ key, value, dims: [...dims] })
    return seeded
  }
  build(shapeWorldContext(0, hook))
  return found
}

async function readPart(
  dir: string,
  part: 'text_encoder' | 'unet',
  wanted: readonly Placement[],
  into: ParamSet,
): Promise<void> {
  const partDir = join(dir, part)
  const model = await readModel(join(partDir, 'model.onnx'))
  for (const p of wanted) {
    let tensor
    try {
      tensor = await readInitializer(model, p.value, partDir)
    } catch {
      throw new Error(
        `${part}/model.onnx in ${dir} has no parameter ${p.key} (${p.value}): it is not a ShapeWorld model of this config; train from seeded weights instead of --init-from`,
      )
    }
    const same =
      tensor.dims.length === p.dims.length && tensor.dims.every((d, i) => d === p.dims[i])
    if (!same || !(tensor.data instanceof Float32Array)) {
      throw new Error(
        `${part}/model.onnx in ${dir}: ${p.key} is [${tensor.dims.join(', ')}] ${tensor.data.constructor.name}, this config wants float32 [${p.dims.join(', ')}]`,
      )
    }
    if (into.has(p.key)) throw new Error(`two parameters share the key ${p.key}`)
    into.set(p.key, { dims: [...p.dims], values: Float32Array.from(tensor.data) })
  }
}

/** The parameters of the ShapeWorld model in `dir`, in the order `initialParams` gives them. */
export async function readShapeWorldParams(
  dir: string,
  config: ShapeWorldModelConfig,
  vocabSize: number,
): Promise<ParamSet> {
  const params: ParamSet = new Map()
  const text = placements((ctx) => buildTextEncoder(ctx, textEncoderConfig(config, vocabSize)))
  const unet = placements((ctx) => buildUNet(ctx, unetConfig(config)))
  await readPart(dir, 'text_encoder', text, params)
  await readPart(dir, 'unet', unet, params)
  return params
}
