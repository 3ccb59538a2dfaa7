/**
 * Writes resources/models/base-pool.bin.gz: the research posters the default head was trained on,
 * as transformed 8-bit features, labels and titles (src/main/training/basePool.ts says why and how).
 * Needs the features cached by `npm run featurize:shared`.
 *
 *   npm run build:base-pool -- [--strategy crop]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decadeOf } from '../src/shared/genres';
import { FEATURE_DIM, FEATURE_MODEL_VERSION, modelsDir } from '../src/main/inference/modelFiles';
import { BASE_POOL_FILE, encodeBasePool } from '../src/main/training/basePool';
import { canonicalGenre, stableFraction } from '../src/main/training/dataset';
import { transformFeatures } from '../src/main/training/trainHead';
import { genres as defaultGenres, loadData, VOCABULARIES } from './lib/sharedFeatures';
import { researchTitle } from './lib/titleData';

const { values } = parseArgs({ options: { strategy: { type: 'string', default: 'crop' } } });
const strategy = values.strategy as string;
const data = loadData(strategy);
// The catalogue's genres first, then source genres a dealer may add later (Film-Noir, Biography, Sport).
const extra = [...new Set(Object.values(VOCABULARIES).flat().map(canonicalGenre))].filter((g) => !(defaultGenres as string[]).includes(g) && g !== 'IMAX');
const genres = [...defaultGenres, ...extra];
const g = genres.length;
const n = data.posters.length;
const labels = new Uint8Array(n * g);
const known = new Uint8Array(n * g);
data.posters.forEach((p, i) => {
  const vocabulary = new Set(VOCABULARIES[p.source].map(canonicalGenre));
  const has = new Set(p.genres.map(canonicalGenre));
  genres.forEach((name, j) => {
    known[i * g + j] = vocabulary.has(name) ? 1 : 0;
    labels[i * g + j] = has.has(name) ? 1 : 0;
  });
});
const bytes = encodeBasePool({
  featureModel: FEATURE_MODEL_VERSION,
  strategy,
  transform: 'sqrt-l2',
  n,
  dim: FEATURE_DIM,
  genres,
  decades: data.posters.map((p) => decadeOf(p.year)),
  // Titles for the head's title part, without the sources' alternative titles in parentheses.
  titles: data.posters.map((p) => researchTitle(p.title) || null),
  // The same split as scripts/train-default.ts: 15% of films by normalised title + year.
  validation: data.keys.map((k) => (stableFraction(k) < 0.15 ? 1 : 0)),
  features: transformFeatures(data.features, FEATURE_DIM, 'sqrt-l2'),
  labels,
  known,
});
const out = join(modelsDir(), BASE_POOL_FILE);
writeFileSync(out, bytes);
console.log(`wrote ${out}: ${n} posters, ${g} genres (${extra.join(', ')} beyond the default vocabulary), ${(bytes.length / 1e6).toFixed(1)} MB`);
