/**
 * Learning from staff: gathers reviewed posters with their cached features, retrains in a worker,
 * stores each new head as a model version (file, parameters, training counts, metrics beside the
 * active version's on the same validation split) and activates it when asked — or automatically
 * when it wins and the user turned that on.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sweepLeftovers } from '../fs/leftovers';
import { decadeOf } from '../../shared/genres';
import type { TrainSummary } from '../../shared/types';
import { genreOfferedSince, listGenres } from '../catalogue/genreRepository';
import { confirmedGenreIds, wholeConfirmationTimes } from '../catalogue/labelRepository';
import { reviewedPostersWithFeatures } from '../catalogue/posterRepository';
import { activateModelVersion, getSetting, listModelVersions, nextRun, registerModelVersion, type ModelVersion } from '../catalogue/modelRepository';
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { FEATURE_DIM, modelsDir } from '../inference/modelFiles';
import type { JobContext } from '../jobs/jobManager';
import { BASE_POOL_FILE } from '../training/basePool';
import { filmKey, stableFraction } from '../training/dataset';
import { headToOnnx, readHeadWeights } from '../training/headModel';
import { DEFAULT_RETRAIN_PARAMS, type HeadUnderTest, type RetrainParams, type ReviewedSet } from '../training/retrain';
import { namesNow, shippedNamesNow } from './genreNames';
import { runRetrainWorker } from './runRetrain';

export const AUTO_ACTIVATE_SETTING = 'models.autoActivate';
/** Share of reviewed films held out, always the same ones, to compare versions on. */
const VALIDATION_SHARE = 0.2;

/** The fixed validation split: by film (title + year) when known, so two scans of one film never straddle it. */
export function isValidationPoster(p: { id: number; title: string | null; year: number | null }): boolean {
  return stableFraction(p.title ? filmKey(p.title, p.year) : `poster:${p.id}`, 7) < VALIDATION_SHARE;
}

/**
 * Reviewed posters with cached features, labels over `genres`. A genre is known for a poster when
 * it is among its confirmed genres, or when it was offered (added, or brought back from retirement)
 * before the poster's whole set was last confirmed; otherwise nobody ruled it out, and it is unknown.
 */
export function gatherReviewed(db: Db, featureKey: string, genres: { id: number; name: string }[]): { set: ReviewedSet; withoutFeatures: number } {
  const rows = reviewedPostersWithFeatures(db, featureKey);
  const withFeatures = rows.filter((r) => r.vector !== null);
  const g = genres.length;
  const n = withFeatures.length;
  const features = new Float32Array(n * FEATURE_DIM);
  const labels = new Uint8Array(n * g);
  const known = new Uint8Array(n * g);
  const offered = genreOfferedSince(db);
  const confirmed = wholeConfirmationTimes(db);
  const column = new Map(genres.map((genre, j) => [genre.id, j]));
  withFeatures.forEach((r, i) => {
    const v = r.vector as Buffer;
    features.set(new Float32Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)), i * FEATURE_DIM);
    const seenAt = confirmed.get(r.id) ?? r.reviewedAt;
    genres.forEach((genre, j) => {
      if ((offered.get(genre.id) ?? '') <= seenAt) known[i * g + j] = 1;
    });
    for (const id of confirmedGenreIds(db, r.id)) {
      const j = column.get(id);
      if (j === undefined) continue;
      labels[i * g + j] = 1;
      known[i * g + j] = 1;
    }
  });
  return {
    set: {
      ids: withFeatures.map((r) => r.id),
      features,
      labels,
      known,
      decades: withFeatures.map((r) => decadeOf(r.year)),
      validation: Uint8Array.from(withFeatures, (r) => (isValidationPoster(r) ? 1 : 0)),
      titles: withFeatures.map((r) => r.title),
    },
    withoutFeatures: rows.length - n,
  };
}

/** A head as the retraining reads it, its outputs named as the catalogue calls those genres now. */
function headUnderTest(db: Db, m: ModelVersion): HeadUnderTest {
  const { weights, info, title } = readHeadWeights(m.file);
  return {
    version: m.version,
    weights: { ...weights, genres: namesNow(db, m, weights.genres) },
    thresholds: info.thresholds,
    title,
    imageOnlyThresholds: info.imageOnlyThresholds,
  };
}

/** Writes through a temporary file, so a crash never leaves half a model behind. */
function writeAtomically(file: string, bytes: Uint8Array): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, file);
}

export async function trainModels(
  db: Db,
  options: { versionsDir: string; featureKey: string; strategy: string; decade?: number | null; params?: Partial<RetrainParams>; autoActivate?: boolean },
  job: JobContext,
): Promise<TrainSummary> {
  const started = performance.now();
  const params: RetrainParams = { ...DEFAULT_RETRAIN_PARAMS, ...options.params };
  const decade = options.decade ?? null;
  if (decade !== null && (!Number.isInteger(decade) || decade % 10 !== 0)) {
    throw new AppError('bad-decade', `"${decade}" is not a decade: give its first year, such as 1950.`);
  }
  const genres = listGenres(db);
  const idByName = new Map(genres.map((g) => [g.name.toLowerCase(), g.id]));
  const { set: reviewed, withoutFeatures } = gatherReviewed(db, options.featureKey, genres);
  if (reviewed.ids.length === 0) {
    throw new AppError(
      'nothing-to-train',
      withoutFeatures > 0
        ? `${withoutFeatures} reviewed posters have no cached features yet: run "tag" first, then train.`
        : 'No poster has been reviewed yet: review some posters (or "label" them), then train.',
    );
  }
  const active = listModelVersions(db).filter((m) => m.active);
  const activeAll = active.find((m) => m.decade === null);
  if (!activeAll) throw new AppError('model-missing', 'No genre model is active: run "tag" once to install the default model.');
  const parent = headUnderTest(db, activeAll);
  const activeDecades = Object.fromEntries(active.filter((m) => m.decade !== null).map((m) => [String(m.decade), headUnderTest(db, m)]));
  // The research posters' features ship beside the default head: without them a retraining would
  // learn from the dealer's reviews alone and lose what the default head knew.
  const poolFile = join(modelsDir(), BASE_POOL_FILE);
  if (!existsSync(poolFile))
    throw new AppError('model-missing', `The base pool ${poolFile} is missing, so nothing was retrained: it ships with the application, so reinstall it.`);

  job.onProgress(0, 1, 'step', `Training on ${reviewed.ids.length} reviewed posters`);
  const result = await runRetrainWorker(
    {
      genres: genres.map((g) => g.name),
      reviewed,
      parent,
      activeDecades,
      decade,
      params,
      featureKey: options.featureKey,
      poolNamesNow: Object.fromEntries(shippedNamesNow(db, listModelVersions(db))),
    },
    poolFile,
    job,
  );

  const run = nextRun(db);
  mkdirSync(options.versionsDir, { recursive: true });
  sweepLeftovers(options.versionsDir, 'tmp'); // model files a killed retraining was writing
  const featureModel = options.featureKey.split(':')[0] ?? options.featureKey;
  const versions: TrainSummary['versions'] = [];
  const files = result.heads.map((head) => {
    const version = head.decade === null ? `v${run}` : `v${run}-${head.decade}s`;
    const file = join(options.versionsDir, `${version}.onnx`);
    const training = {
      strategy: options.strategy,
      params,
      run,
      parent: parent.version,
      decade: head.decade,
      reviewed: result.counts.reviewed,
      basePool: result.counts.pool,
    };
    writeAtomically(
      file,
      headToOnnx(
        head.weights,
        { version, featureModel, genres: head.weights.genres, thresholds: head.thresholds, imageOnlyThresholds: head.imageOnlyThresholds, training },
        head.title ?? undefined,
      ),
    );
    return { head, version, file, training };
  });
  db.transaction(() => {
    for (const { head, version, file, training } of files) {
      const outcome = result.decades.find((d) => d.decade === head.decade);
      registerModelVersion(db, {
        version,
        decade: head.decade,
        file,
        // Outputs map to genre ids now, so a later rename keeps this head's suggestions.
        genreIds: head.weights.genres.map((name) => idByName.get(name.toLowerCase()) ?? null),
        run,
        kept: head.kept,
        params: training,
        metrics: {
          validation: head.metrics,
          activeVersions: active.map((m) => m.version),
          ...(head.decade === null ? { perDecade: result.perDecade, decades: result.decades } : { decade: outcome }),
        },
        trainingCounts: result.counts,
      });
      versions.push({ version, decade: head.decade, kept: head.kept });
    }
  })();

  // Automatic activation, when the user turned it on, only for a version that beats the active one.
  const main = result.heads.find((h) => h.decade === null);
  const wins = main ? main.metrics.candidate.microF1 > main.metrics.active.microF1 : false;
  const auto = options.autoActivate ?? getSetting(db, AUTO_ACTIVATE_SETTING) === 'true';
  let activated: string | null = null;
  if (auto && wins) {
    activated = `v${run}`;
    activateModelVersion(db, activated, `v${run} beat ${activeAll.version} (automatic activation)`);
  }
  return {
    status: 'succeeded',
    run,
    versions,
    reviewed: result.counts.reviewed,
    validation: result.counts.validation,
    basePool: result.counts.pool,
    withoutFeatures,
    wins,
    activated,
    candidate: main?.metrics.candidate ?? null,
    active: main?.metrics.active ?? null,
    perDecade: result.perDecade,
    decades: result.decades,
    genres: result.counts.perGenre,
    seconds: (performance.now() - started) / 1000,
  };
}
