/**
 * The ResNet50 feature extractor: batches of uint8 RGB 224×224 inputs in, 2048-d features out.
 * Only the feature model runs here; the ImageNet classifier never enters the hot path.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors';
import { FEATURE_DIM, FEATURE_MODEL_VERSION, INPUT_SIZE } from './convertResnet';
import { FEATURE_MODEL_FILE, modelsDir } from './modelFiles';
import { createSession, ort, type ProviderName, type ProviderReport } from './session';

const PIXELS = INPUT_SIZE * INPUT_SIZE * 3;

export class FeatureExtractor {
  readonly version = FEATURE_MODEL_VERSION;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly report: ProviderReport,
  ) {}

  static async open(options: { providers?: ProviderName[]; threads?: number; spinning?: boolean } = {}): Promise<FeatureExtractor> {
    const file = join(modelsDir(), FEATURE_MODEL_FILE);
    if (!existsSync(file)) {
      throw new AppError('model-missing', `The feature model ${file} is missing: run "npm run build:models" to build it.`);
    }
    const { session, report } = await createSession(file, 'feature model', options);
    return new FeatureExtractor(session, report);
  }

  /** One feature vector per input, in order. */
  async extract(inputs: Uint8Array[]): Promise<Float32Array[]> {
    if (inputs.length === 0) return [];
    const batch = new Uint8Array(inputs.length * PIXELS);
    inputs.forEach((input, i) => {
      if (input.length !== PIXELS) throw new AppError('bad-input', `model input ${i} has ${input.length} bytes, expected ${PIXELS}`);
      batch.set(input, i * PIXELS);
    });
    const out = await this.session.run({ pixels: new ort.Tensor('uint8', batch, [inputs.length, INPUT_SIZE, INPUT_SIZE, 3]) });
    const data = out.features?.data as Float32Array;
    return inputs.map((_, i) => data.slice(i * FEATURE_DIM, (i + 1) * FEATURE_DIM));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
