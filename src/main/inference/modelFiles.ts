/** Where the models live: resources/models in the project (and, packaged, beside the app's resources). */
import { resolve } from 'node:path';

export const FEATURE_MODEL_FILE = 'resnet50-features.onnx';
export const CLASSIFIER_FILE = 'resnet50-imagenet-classifier.onnx';

export function modelsDir(): string {
  return process.env.POSTER_CATALOGUE_MODELS ?? resolve(import.meta.dirname, '..', '..', '..', 'resources', 'models');
}
