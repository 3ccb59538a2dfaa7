/**
 * Retraining cost against featurising, measured in one run:
 *  (a) featurising: vendor-size scans decoded and run through ResNet50 by the tag job (the work
 *      retraining never repeats), measured on --sample scans, per poster, scaled to --posters;
 *  (b) retraining on --posters labelled posters whose features are cached in the catalogue:
 *      the whole `train` job (read from SQLite, worker thread, base pool, decade heads, metrics,
 *      model files).
 * Prints both and the ratio b/a (target < 5%).
 *
 *   npm run bench:retrain -- [--posters 20000] [--sample 300] [--scans bench-out/scans-2000]
 *
 * The labelled posters' features are real when the research features are cached
 * (npm run featurize:shared: crop, squash and letterbox versions of 11,479 posters); otherwise the
 * sample's features are repeated with noise. Training cost does not depend on which.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_GENRES } from '../src/shared/genres';
import { saveFeatures } from '../src/main/catalogue/featureRepository';
import { listGenres } from '../src/main/catalogue/genreRepository';
import { FEATURE_DIM } from '../src/main/inference/modelFiles';
import { CatalogueService } from '../src/main/service';
import { seededRandom } from '../src/main/training/trainHead';
import { FEATURES, loadData } from './lib/sharedFeatures';

const { values } = parseArgs({
  options: {
    posters: { type: 'string', default: '20000' },
    sample: { type: 'string', default: '300' },
    scans: { type: 'string', default: join('bench-out', 'scans-2000') },
  },
});
const POSTERS = Number(values.posters);
const SAMPLE = Number(values.sample);
const scans = resolve(values.scans as string);

/** Feature vectors and genre sets for the labelled posters. */
function labelledFeatures(sample: Float32Array[]): { features: (i: number) => Float32Array; genres: (i: number) => string[]; real: boolean } {
  const strategies = ['crop', 'squash', 'letterbox'].filter((s) => existsSync(join(FEATURES, `${s}.f32`)));
  if (strategies.length) {
    const data = strategies.map(loadData);
    const per = data[0]?.posters.length ?? 1;
    return {
      real: per * strategies.length >= POSTERS,
      features: (i) => {
        const d = data[Math.floor(i / per) % data.length] as (typeof data)[number];
        const r = i % per;
        return d.features.slice(r * FEATURE_DIM, (r + 1) * FEATURE_DIM);
      },
      genres: (i) => {
        const d = data[0] as (typeof data)[number];
        const r = i % per;
        return DEFAULT_GENRES.filter((_, j) => d.labels[r * DEFAULT_GENRES.length + j] === 1);
      },
    };
  }
  const random = seededRandom(1);
  return {
    real: false,
    features: (i) => Float32Array.from(sample[i % sample.length] as Float32Array, (v) => v * (0.8 + 0.4 * random())),
    genres: () => DEFAULT_GENRES.filter(() => random() < 0.12),
  };
}

async function main(): Promise<void> {
  if (!existsSync(scans)) {
    console.error(`${scans} is missing: run "npm run bench:import -- --files 2000 --big 0" first to make the vendor-size scans.`);
    process.exit(1);
  }
  const work = mkdtempSync(join(tmpdir(), 'bench-retrain-'));
  // (a) Featurising the sample: import without tagging, then the tag job (decode + ResNet50 + store).
  const sampleDir = join(work, 'sample');
  mkdirSync(sampleDir);
  for (const f of readdirSync(scans)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(0, SAMPLE))
    symlinkSync(join(scans, f), join(sampleDir, f));
  const first = CatalogueService.open(join(work, 'sample.sqlite'));
  await first.startImport({ folder: sampleDir, tag: false }).promise;
  const tagger = await first.tagger();
  const t0 = performance.now();
  const tagged = await first.startTag().promise;
  const featuriseSeconds = (performance.now() - t0) / 1000;
  const perPoster = featuriseSeconds / tagged.tagged;
  const sample = (first.db.prepare('SELECT vector FROM features').pluck().all() as Buffer[]).map(
    (b) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
  );
  await first.close();
  console.log(
    `(a) featurising: ${tagged.tagged} vendor-size scans in ${featuriseSeconds.toFixed(1)} s = ${(1 / perPoster).toFixed(1)} posters/s → ${POSTERS} posters ≈ ${(perPoster * POSTERS).toFixed(0)} s`,
  );

  // (b) A catalogue with POSTERS reviewed posters and cached features; time the train job.
  const service = CatalogueService.open(join(work, 'labelled.sqlite'));
  await service.tagger(); // installs the default model; loading it is start-up, not training
  const source = labelledFeatures(sample);
  const genreIds = new Map(listGenres(service.db).map((g) => [g.name, g.id]));
  const insert = service.db.prepare(
    `INSERT INTO posters (path, sha256, bytes, width, height, title, year, decade, vendor, imported_at, thumbnail, phash, reviewed_at)
     VALUES (?, ?, 1, 1500, 2250, ?, ?, ?, 'bench', '2026-01-01T00:00:00Z', '', '0000000000000000', '2026-01-02T00:00:00Z')`,
  );
  const label = service.db.prepare('INSERT INTO poster_labels (poster_id, genre_id) VALUES (?, ?)');
  const random = seededRandom(2);
  service.db.transaction(() => {
    for (let i = 0; i < POSTERS; i++) {
      const year = 1930 + Math.floor(random() * 95);
      const id = Number(insert.run(`/bench/${i}.jpg`, `sha-${i}`, `Film ${i}`, year, Math.floor(year / 10) * 10).lastInsertRowid);
      saveFeatures(service.db, id, tagger.featureKey, source.features(i));
      for (const g of source.genres(i)) label.run(id, genreIds.get(g));
    }
  })();
  console.log(`    ${POSTERS} labelled posters with ${source.real ? 'real research' : 'sample-derived'} cached features`);
  const t1 = performance.now();
  const summary = await service.startTrain().promise;
  const trainSeconds = (performance.now() - t1) / 1000;
  console.log(
    `(b) retraining: ${trainSeconds.toFixed(1)} s (${summary.reviewed} reviewed + ${summary.basePool} base-pool posters, ` +
      `${summary.versions.length} heads: ${summary.versions.map((v) => v.version).join(', ')})`,
  );
  console.log(`b/a = ${((trainSeconds / (perPoster * POSTERS)) * 100).toFixed(1)}% (target < 5%)`);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  await service.close();
}

await main();
