/** Cached ResNet50 features of the research posters (npm run featurize:shared) as training data. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_GENRES } from '../../src/shared/genres';
import { FEATURE_DIM } from '../../src/main/inference/modelFiles';
import { canonicalGenre, filmKey } from '../../src/main/training/dataset';
import { loadSharedPosters, type SharedPoster, type Source } from './sharedPosters';

// One source per line reads better than one genre per line.
// prettier-ignore
export const VOCABULARIES: Record<Source, string[]> = {
  'movielens-1m': ['Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'],
  'imdb-modern': ['Action', 'Adventure', 'Animation', 'Biography', 'Comedy', 'Crime', 'Drama', 'Family', 'Fantasy', 'Horror', 'Mystery', 'Romance', 'Sci-Fi', 'Sport', 'Thriller'],
  'imdb-vintage': ['Action', 'Adventure', 'Animation', 'Children', 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'IMAX', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'],
};

export const FEATURES = resolve(import.meta.dirname, '..', '..', '.cache', 'features');
export const genres = [...DEFAULT_GENRES];
export const G = genres.length;

export interface Data {
  posters: SharedPoster[];
  features: Float32Array;
  labels: Uint8Array;
  known: Uint8Array;
  keys: string[];
}

export function loadData(strategy: string): Data {
  const file = join(FEATURES, `${strategy}.f32`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run featurize:shared" first.`);
  const all = loadSharedPosters();
  const raw = readFileSync(file);
  const allFeatures = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
  const failed = new Set((JSON.parse(readFileSync(join(FEATURES, `${strategy}.failures.json`), 'utf8')) as { file: string }[]).map((f) => f.file));
  const keep = all.map((p, i) => [p, i] as const).filter(([p]) => !failed.has(p.path) && p.genres.length > 0);
  const features = new Float32Array(keep.length * FEATURE_DIM);
  const labels = new Uint8Array(keep.length * G);
  const known = new Uint8Array(keep.length * G);
  keep.forEach(([p, i], k) => {
    features.set(allFeatures.subarray(i * FEATURE_DIM, (i + 1) * FEATURE_DIM), k * FEATURE_DIM);
    const vocab = new Set(VOCABULARIES[p.source].map(canonicalGenre));
    const has = new Set(p.genres.map(canonicalGenre));
    genres.forEach((g, j) => {
      known[k * G + j] = vocab.has(g) ? 1 : 0;
      labels[k * G + j] = has.has(g) ? 1 : 0;
    });
  });
  return { posters: keep.map(([p]) => p), features, labels, known, keys: keep.map(([p]) => filmKey(p.title, p.year)) };
}

export function subset(data: Data, rows: number[]) {
  const features = new Float32Array(rows.length * FEATURE_DIM);
  const labels = new Uint8Array(rows.length * G);
  const known = new Uint8Array(rows.length * G);
  rows.forEach((r, k) => {
    features.set(data.features.subarray(r * FEATURE_DIM, (r + 1) * FEATURE_DIM), k * FEATURE_DIM);
    labels.set(data.labels.subarray(r * G, (r + 1) * G), k * G);
    known.set(data.known.subarray(r * G, (r + 1) * G), k * G);
  });
  return { features, labels, known, dim: FEATURE_DIM, genres };
}
