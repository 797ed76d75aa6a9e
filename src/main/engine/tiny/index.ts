/** Deterministic tiny Stable Diffusion pipelines in the diffusers ONNX folder layout. */
export { writeTinyPipeline } from './write-tiny-pipeline'
export type { TinyPipelineFacts, TinyPipelineOptions } from './write-tiny-pipeline'
export { TINY_VARIANTS, variantSpec } from './variants'
export type { ExternalDataFile, TinyVariant, VariantSpec } from './variants'
export type { TinyKvProjection, UNetAttentionStyle } from './layers-attention'
export type { TimestepInput } from './unet-graph'
export type { VaeEncoderOutput } from './vae-graph'
export { SeededWeights, mulberry32 } from './seeded-weights'
