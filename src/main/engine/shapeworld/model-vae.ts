/**
 * vae_decoder/model.onnx for the PCA latents (model-pca.ts): `latent_sample` [B, k, h, w] →
 * 1×1 Conv (k → 192, weights = components · std, bias = mean patch) → DepthToSpace(8, CRD) →
 * `sample` [B, 3, 8h, 8w] in [-1, 1]. The studio divides latents by SD's 0.18215 before the
 * VAE (sd/vae-decoder.ts), so the conv weights carry that factor back: the latents the U-Net
 * denoises are exactly the unit-variance PCA coefficients the training data had.
 */
import type { ModelProto } from 'onnx-buf'
import { GraphBuilder, attr } from '../onnx'
import { VAE_SCALING } from '../sd/vae-decoder'
import { PATCH, PATCH_VALUES } from './model-pca'
import type { PatchPca } from './model-pca'
import { SHAPEWORLD_OPSET } from './model-config'

export function buildVaeDecoderModel(pca: PatchPca): ModelProto {
  const g = new GraphBuilder({ opset: SHAPEWORLD_OPSET, producerName: 'realera-shapeworld' })
  const k = pca.k
  const z = g.input('latent_sample', 'float32', ['batch', k, 'height', 'width'])
  const weight = new Float32Array(PATCH_VALUES * k)
  for (let i = 0; i < PATCH_VALUES; i++) {
    for (let c = 0; c < k; c++) {
      weight[i * k + c] = pca.components[c * PATCH_VALUES + i]! * pca.scales[c]! * VAE_SCALING
    }
  }
  const w = g.initializer(weight, [PATCH_VALUES, k, 1, 1], { name: 'post_quant_conv.weight' })
  const b = g.initializer(Float32Array.from(pca.mean), [PATCH_VALUES], {
    name: 'post_quant_conv.bias',
  })
  const patches = g.op('Conv', [z, w, b], {
    name: '/post_quant_conv/Conv',
    attrs: { kernel_shape: attr.ints([1, 1]), pads: attr.ints([0, 0, 0, 0]) },
  })
  g.op('DepthToSpace', [patches], {
    name: '/decoder/DepthToSpace',
    attrs: { blocksize: attr.int(PATCH), mode: attr.string('CRD') },
    output: 'sample',
  })
  g.output('sample', 'float32', ['batch', 3, 'image_height', 'image_width'])
  return g.build()
}
