/** ONNX model files and graph construction: the public surface of the engine's ONNX layer. */
export { attr, intAttribute, intsAttribute, makeAttribute } from './attributes'
export type { AttrValue, Attrs } from './attributes'
export { externalRef, isExternal } from './external-data'
export type { ExternalRef } from './external-data'
export { GraphBuilder } from './graph-builder'
export type { Dim, GraphBuilderOptions, NodeOptions } from './graph-builder'
export {
  OnnxFileError,
  PROTOBUF_LIMIT_BYTES,
  decodeModel,
  displayPath,
  encodeModel,
  findInitializer,
  loadExternalData,
  readInitializer,
  readModel,
  setInitializer,
  writeModel,
} from './model-io'
export type {
  InitializerUpdate,
  OnnxFileErrorCode,
  ReadModelOptions,
  WriteModelOptions,
} from './model-io'
export {
  dataTypeName,
  elementSize,
  float16BitsToFloat32,
  float32ToFloat16Bits,
  makeTensorProto,
  onnxDataType,
  tensorByteLength,
} from './tensor-proto'
export type { DType, TensorData, TensorValue } from './tensor-proto'
