/** What the models screen and `models` show: versions with metrics, what is active, what genres still need. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { GenreCount, HeadInput, ModelsOverview, ModelVersionInfo } from '../../shared/types';
import { latestLabelChangeAt } from '../catalogue/insightsRepository';
import { getSetting, listActivations, listModelVersions, rollbackTarget, type ModelVersion } from '../catalogue/modelRepository';
import type { Db } from '../db/open';
import { reviewedPerGenre } from '../catalogue/genreRepository';
import { countReviewed } from '../catalogue/posterRepository';
import { modelsDir } from '../inference/modelFiles';
import { BASE_POOL_FILE, readBasePoolHeader } from '../training/basePool';
import { DEFAULT_RETRAIN_PARAMS } from '../training/retrain';
import { headInfoOf, shippedNamesNow } from './genreNames';
import { AUTO_ACTIVATE_SETTING } from './learning';

let poolPositives: { file: string; mtimeMs: number; positives: Record<string, number> } | null = null;

/** Positive examples per genre in the shipped base pool (read once per file). */
function basePoolPositives(): Record<string, number> {
  const file = join(modelsDir(), BASE_POOL_FILE);
  if (!existsSync(file)) return {};
  const { mtimeMs } = statSync(file);
  if (poolPositives?.file !== file || poolPositives.mtimeMs !== mtimeMs) {
    poolPositives = { file, mtimeMs, positives: readBasePoolHeader(file).positives };
  }
  return poolPositives.positives;
}

type Json = Record<string, unknown> | null;

/** What each head file reads, from its metadata (a missing or broken file says nothing). */
const headInputs = (file: string): HeadInput[] | undefined => headInfoOf(file)?.inputs;

function toInfo(m: ModelVersion): ModelVersionInfo {
  const metrics = m.metrics as Json;
  const isRun = metrics !== null && 'validation' in metrics && typeof (metrics.validation as Json)?.candidate === 'object';
  const inputs = headInputs(m.file);
  return {
    ...(inputs ? { inputs } : {}),
    version: m.version,
    decade: m.decade,
    run: m.run,
    createdAt: m.createdAt,
    active: m.active,
    kept: m.kept,
    validation: isRun ? (metrics.validation as ModelVersionInfo['validation']) : null,
    activeAtTraining: isRun ? ((metrics.activeVersions as string[] | undefined) ?? []) : [],
    perDecade: isRun ? ((metrics.perDecade as ModelVersionInfo['perDecade'] | undefined) ?? []) : [],
    // Runs stored before the minimums were kept with each outcome used the defaults.
    decades: (isRun
      ? ((metrics.decades as ModelVersionInfo['decades'] | undefined) ?? (metrics.decade ? [metrics.decade as ModelVersionInfo['decades'][number]] : []))
      : []
    ).map((d: Partial<ModelVersionInfo['decades'][number]> & Omit<ModelVersionInfo['decades'][number], 'minTrain' | 'minValidation'>) => ({
      ...d,
      minTrain: d.minTrain ?? DEFAULT_RETRAIN_PARAMS.decadeMinTrain,
      minValidation: d.minValidation ?? DEFAULT_RETRAIN_PARAMS.decadeMinValidation,
    })),
    shipped: !isRun && metrics ? (metrics as unknown as ModelVersionInfo['shipped']) : null,
    counts: (m.trainingCounts as ModelVersionInfo['counts']) ?? null,
  };
}

export function genreCounts(db: Db): GenreCount[] {
  const pool = basePoolPositives();
  // The pool knows a genre by its shipped name: a genre renamed since keeps its examples.
  const renamed = shippedNamesNow(db, listModelVersions(db));
  const poolByName = new Map(Object.entries(pool).map(([k, v]) => [(renamed.get(k.toLowerCase()) ?? k).toLowerCase(), v]));
  const rows = reviewedPerGenre(db);
  return rows.map(({ name, reviewed }) => {
    const fromPool = poolByName.get(name.toLowerCase()) ?? 0;
    return { genre: name, reviewed, pool: fromPool, needs: Math.max(0, DEFAULT_RETRAIN_PARAMS.minPositives - reviewed - fromPool) };
  });
}

/**
 * Why a retraining would have nothing new to learn from: no reviewed posters at all, or no label
 * change (confirmation, edit or undo) since the latest run was trained. Null when there is something.
 */
export function nothingToTrain(db: Db, reviewed: number, versions: ModelVersion[]): string | null {
  if (reviewed === 0) return 'Nothing to learn from yet: confirm posters on the Review screen first; every confirmed poster becomes training data.';
  const latest = versions.filter((v) => v.run > 0).sort((a, b) => b.run - a.run)[0];
  const changed = latestLabelChangeAt(db);
  if (latest && changed !== null && changed <= latest.createdAt) {
    return `No review has changed since ${latest.version} was trained: retraining would learn the same thing. Review or correct posters first.`;
  }
  return null;
}

export function modelsOverview(db: Db): ModelsOverview {
  const versions = listModelVersions(db).reverse();
  const reviewed = countReviewed(db);
  const back = rollbackTarget(db);
  return {
    versions: versions.map(toInfo),
    active: versions.filter((m) => m.active).map((m) => ({ decade: m.decade, version: m.version })),
    activations: listActivations(db).reverse().slice(0, 50),
    genres: genreCounts(db),
    reviewed,
    autoActivate: getSetting(db, AUTO_ACTIVATE_SETTING) === 'true',
    rollbackTo: back && { versions: back.versions, activatedAt: back.activatedAt },
    nothingToTrain: nothingToTrain(db, reviewed, versions),
  };
}
