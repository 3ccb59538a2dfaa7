/**
 * A genre head loaded for scoring: features [batch, 2048] → probabilities [batch, genres]. Genre
 * names, per-genre thresholds and training metadata travel inside the file (metadata_props).
 * Writing heads is training's job (training/headModel.ts).
 */
import { readFileSync } from 'node:fs';
import { AppError, messageOf } from '../errors';
import { readOnnxMetadata } from '../onnx/readMetadata';
import { createSession, ort, type ProviderName } from './session';

export interface HeadInfo {
  version: string;
  featureModel: string;
  genres: string[];
  /** Per genre; null = never suggested (no training data). */
  thresholds: (number | null)[];
  /** Anything else worth keeping: parameters, counts, metrics. */
  training: Record<string, unknown>;
}

export function readHeadInfo(model: Uint8Array, what: string): HeadInfo {
  try {
    const meta = readOnnxMetadata(model);
    const genres = JSON.parse(meta.genres ?? 'null') as unknown;
    const thresholds = JSON.parse(meta.thresholds ?? 'null') as unknown;
    if (!Array.isArray(genres) || !Array.isArray(thresholds) || genres.length !== thresholds.length || !meta.head_version) {
      throw new Error('genres, thresholds or head_version missing from its metadata');
    }
    return {
      version: meta.head_version,
      featureModel: meta.feature_model ?? '',
      genres: genres.map(String),
      thresholds: thresholds.map((t) => (typeof t === 'number' ? t : null)),
      training: JSON.parse(meta.training ?? '{}') as Record<string, unknown>,
    };
  } catch (error) {
    throw new AppError('head-invalid', `The genre model ${what} is not a valid Poster Catalogue head: ${messageOf(error)}`);
  }
}

export function readHeadFile(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new AppError('model-missing', `The genre model ${file} cannot be read: ${messageOf(error)}`);
  }
}

/** A loaded head, ready to score cached features. */
export class GenreHead {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly info: HeadInfo,
  ) {}

  static async load(file: string, options: { providers?: ProviderName[] } = {}): Promise<GenreHead> {
    const bytes = readHeadFile(file);
    const info = readHeadInfo(bytes, file);
    const { session } = await createSession(bytes, `genre model ${info.version}`, { providers: options.providers ?? ['cpu'], threads: 1 });
    return new GenreHead(session, info);
  }

  /** Probabilities, one row per feature vector, in the order of info.genres. */
  async score(features: Float32Array[], dim = 2048): Promise<Float32Array[]> {
    if (features.length === 0) return [];
    const batch = new Float32Array(features.length * dim);
    features.forEach((f, i) => batch.set(f, i * dim));
    const out = await this.session.run({ features: new ort.Tensor('float32', batch, [features.length, dim]) });
    const probs = out.probabilities?.data as Float32Array;
    const g = this.info.genres.length;
    return features.map((_, i) => probs.slice(i * g, (i + 1) * g));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
