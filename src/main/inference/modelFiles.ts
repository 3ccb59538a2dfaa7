/**
 * The feature model's runtime facts: its file names, input size, feature size and version. The
 * converter that writes the files is build-time code (scripts/lib/convertResnet.ts) and imports
 * these; the application never imports the converter.
 */
import { resolve } from 'node:path';

export const FEATURE_MODEL_FILE = 'resnet50-features.onnx';
/** The same network with int8 weights and uint8 activations (scripts/lib/quantizeResnet.ts), for CPUs with int8 dot products. */
export const FEATURE_MODEL_INT8_FILE = 'resnet50-features-int8.onnx';
export const CLASSIFIER_FILE = 'resnet50-imagenet-classifier.onnx';

export const FEATURE_MODEL_VERSION = 'resnet50-keras-imagenet-v1';
/** The model's input: uint8 RGB [batch, INPUT_SIZE, INPUT_SIZE, 3]. */
export const INPUT_SIZE = 224;
export const FEATURE_DIM = 2048;

export function modelsDir(): string {
  return process.env.POSTER_CATALOGUE_MODELS ?? resolve(import.meta.dirname, '..', '..', '..', 'resources', 'models');
}
