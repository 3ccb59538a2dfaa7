/**
 * A genre head loaded for scoring: features [batch, 2048] → probabilities [batch, genres]; a
 * title-aware head also reads the title's hashed n-gram ids and the decade one-hot (titleHash.ts),
 * with the hashing parameters read from its own metadata. Genre names, per-genre thresholds and
 * training metadata travel inside the file (metadata_props). Heads written before titles were read
 * (and rolled back to) keep working: they have the one input. Writing heads is training's job
 * (training/headModel.ts).
 */
import { readFileSync } from 'node:fs';
import type { HeadInput } from '../../shared/types';
import { AppError, messageOf } from '../errors';
import { readOnnxMetadata } from '../onnx/readMetadata';
import { createSession, ort, type ProviderName } from './session';
import { decadeSlot, TITLE_HASH_SCHEME, titleIds, titleWordIds, vocabularyIndex, type TitleHashing } from './titleHash';

export type { HeadInput };

/** What one suggestion was based on. */
export interface ScoreBasis {
  title: boolean;
  decade: boolean;
}

export interface HeadInfo {
  version: string;
  featureModel: string;
  genres: string[];
  /** Per genre; null = never suggested (no training data). */
  thresholds: (number | null)[];
  /** Anything else worth keeping: parameters, counts, metrics. */
  training: Record<string, unknown>;
  /** What the head reads. */
  inputs: HeadInput[];
  /** The title tokeniser's parameters and the decade slots, for a head that reads them. */
  title?: { hashing: TitleHashing; decades: number[]; width: number; vocabulary?: string[] };
  /** Thresholds for a poster scored without a usable title (the same as thresholds for an image-only head). */
  imageOnlyThresholds: (number | null)[];
}

export function readHeadInfo(model: Uint8Array, what: string): HeadInfo {
  try {
    const meta = readOnnxMetadata(model);
    const genres = JSON.parse(meta.genres ?? 'null') as unknown;
    const thresholds = JSON.parse(meta.thresholds ?? 'null') as unknown;
    if (!Array.isArray(genres) || !Array.isArray(thresholds) || genres.length !== thresholds.length || !meta.head_version) {
      throw new Error('genres, thresholds or head_version missing from its metadata');
    }
    const parsedThresholds = thresholds.map((t) => (typeof t === 'number' ? t : null));
    const inputs = JSON.parse(meta.inputs ?? '["image"]') as unknown;
    if (!Array.isArray(inputs) || !inputs.every((i) => i === 'image' || i === 'title' || i === 'decade')) {
      throw new Error(`its inputs ${meta.inputs ?? ''} are not image, title and decade`);
    }
    let title: HeadInfo['title'];
    let imageOnlyThresholds = parsedThresholds;
    if (inputs.includes('title')) {
      const hashing = JSON.parse(meta.title_hashing ?? 'null') as TitleHashing | null;
      const decades = JSON.parse(meta.decade_slots ?? 'null') as unknown;
      const imageOnly = JSON.parse(meta.thresholds_image_only ?? 'null') as unknown;
      if (!hashing || !Number.isInteger(hashing.buckets) || !Array.isArray(decades) || !Array.isArray(imageOnly) || imageOnly.length !== genres.length) {
        throw new Error('it reads titles, but its title hashing, decade slots or image-only thresholds are missing');
      }
      if (hashing.scheme !== TITLE_HASH_SCHEME) {
        throw new Error(`it hashes titles with "${hashing.scheme}", which this version of the application does not know (it knows "${TITLE_HASH_SCHEME}")`);
      }
      // Words with pretrained vectors, one per line (a head without them reads the n-grams alone).
      const vocabulary = meta.title_vocabulary ? meta.title_vocabulary.split('\n') : undefined;
      title = { hashing, decades: decades.map(Number), width: Number(meta.title_width ?? 0), ...(vocabulary ? { vocabulary } : {}) };
      imageOnlyThresholds = imageOnly.map((t) => (typeof t === 'number' ? t : null));
    }
    return {
      version: meta.head_version,
      featureModel: meta.feature_model ?? '',
      genres: genres.map(String),
      thresholds: parsedThresholds,
      training: JSON.parse(meta.training ?? '{}') as Record<string, unknown>,
      inputs: inputs as HeadInput[],
      ...(title ? { title } : {}),
      imageOnlyThresholds,
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
    return (
      await this.scoreWith(
        features.map((f) => ({ features: f })),
        dim,
      )
    ).map((r) => r.probabilities);
  }

  /**
   * Probabilities and what they were based on, one per poster. A title-aware head reads the
   * title and decade (an unusable title or unknown year is simply absent); an image-only head ignores them.
   */
  async scoreWith(
    posters: { features: Float32Array; title?: string | null; decade?: number | null }[],
    dim = 2048,
  ): Promise<{ probabilities: Float32Array; basis: ScoreBasis }[]> {
    if (posters.length === 0) return [];
    const n = posters.length;
    const batch = new Float32Array(n * dim);
    posters.forEach((p, i) => batch.set(p.features, i * dim));
    const feeds: Record<string, ort.Tensor> = { features: new ort.Tensor('float32', batch, [n, dim]) };
    const title = this.info.title;
    const bases: ScoreBasis[] = posters.map(() => ({ title: false, decade: false }));
    if (title) {
      const ids = posters.map((p) => titleIds(p.title, title.hashing));
      const length = Math.max(1, ...ids.map((x) => x.length));
      const padded = new BigInt64Array(n * length).fill(BigInt(title.hashing.buckets));
      ids.forEach((x, i) => x.forEach((id, k) => (padded[i * length + k] = BigInt(id))));
      const slots = title.decades.length;
      const decades = new Float32Array(n * slots);
      posters.forEach((p, i) => {
        const slot = decadeSlot(p.decade, title.decades);
        if (slot >= 0) decades[i * slots + slot] = 1;
        bases[i] = { title: (ids[i] as number[]).length > 0, decade: slot >= 0 };
      });
      feeds.title_ids = new ort.Tensor('int64', padded, [n, length]);
      if (title.vocabulary) {
        const index = vocabularyIndex(title.vocabulary);
        const words = posters.map((p) => titleWordIds(p.title, index));
        const wordLength = Math.max(1, ...words.map((x) => x.length));
        const paddedWords = new BigInt64Array(n * wordLength).fill(BigInt(title.vocabulary.length));
        words.forEach((x, i) => x.forEach((id, k) => (paddedWords[i * wordLength + k] = BigInt(id))));
        feeds.title_words = new ort.Tensor('int64', paddedWords, [n, wordLength]);
      }
      if (slots) feeds.decade = new ort.Tensor('float32', decades, [n, slots]);
    }
    const out = await this.session.run(feeds);
    const probs = out.probabilities?.data as Float32Array;
    const g = this.info.genres.length;
    return posters.map((_, i) => ({ probabilities: probs.slice(i * g, (i + 1) * g), basis: bases[i] as ScoreBasis }));
  }

  /** The thresholds for a poster scored on this basis. */
  thresholdsFor(basis: ScoreBasis): (number | null)[] {
    return basis.title ? this.info.thresholds : this.info.imageOnlyThresholds;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
