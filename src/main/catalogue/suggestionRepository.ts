/** Model suggestions: one row per poster and genre, with probability, threshold verdict and model version. */
import type { Db } from '../db/open';
import { nowIso, prepared } from '../db/statements';

export interface Suggestion {
  genreId: number;
  probability: number;
  aboveThreshold: boolean;
  /** The genre's threshold in the model that made the suggestion. */
  threshold?: number | undefined;
}

const logOdds = (p: number): number => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};

/**
 * The confidence margin: the smallest |ln(odds(p) / odds(threshold))| over the suggestions with a
 * threshold — how far, in odds, the genre the model is least sure of sits from its own threshold
 * (null when no suggestion has one). The bands (CONFIDENCE_BANDS) are limits on it.
 */
export function confidenceMargin(suggestions: readonly Suggestion[]): number | null {
  let margin: number | null = null;
  for (const s of suggestions) {
    if (s.threshold === undefined) continue;
    const d = Math.abs(logOdds(s.probability) - logOdds(s.threshold));
    margin = margin === null ? d : Math.min(margin, d);
  }
  return margin;
}

/**
 * Replaces a poster's suggestions, its review uncertainty (distance of the nearest genre to its
 * threshold) and its confidence margin. Never touches its labels: a reviewed poster keeps what staff confirmed.
 */
export function replaceSuggestions(db: Db, posterId: number, modelVersion: string, suggestions: Suggestion[], uncertainty: number | null = null): void {
  prepared(db, 'UPDATE posters SET uncertainty = ?, confidence = ? WHERE id = ?').run(uncertainty, confidenceMargin(suggestions), posterId);
  prepared(db, 'DELETE FROM suggestions WHERE poster_id = ?').run(posterId);
  const insert = prepared(
    db,
    'INSERT INTO suggestions (poster_id, genre_id, probability, above_threshold, model_version, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const threshold = prepared(db, 'INSERT OR REPLACE INTO genre_thresholds (model_version, genre_id, threshold) VALUES (?, ?, ?)');
  const at = nowIso();
  for (const s of suggestions) {
    insert.run(posterId, s.genreId, s.probability, s.aboveThreshold ? 1 : 0, modelVersion, at);
    if (s.threshold !== undefined) threshold.run(modelVersion, s.genreId, s.threshold);
  }
}

/** For each poster, the suggestion nearest its threshold in odds (what the model is least sure of). */
export function nearestSuggestions(db: Db, posterIds: readonly number[]): Map<number, { genre: string; probability: number; threshold: number }> {
  const nearest = new Map<number, { genre: string; probability: number; threshold: number; d: number }>();
  if (posterIds.length === 0) return new Map();
  const rows = db
    .prepare(
      `SELECT s.poster_id, g.name AS genre, s.probability, t.threshold FROM suggestions s JOIN genres g ON g.id = s.genre_id
       JOIN genre_thresholds t ON t.model_version = s.model_version AND t.genre_id = s.genre_id
       WHERE s.poster_id IN (${posterIds.map(() => '?').join(',')})`,
    )
    .all(...posterIds) as { poster_id: number; genre: string; probability: number; threshold: number }[];
  for (const r of rows) {
    const d = Math.abs(logOdds(r.probability) - logOdds(r.threshold));
    const best = nearest.get(r.poster_id);
    if (!best || d < best.d) nearest.set(r.poster_id, { genre: r.genre, probability: r.probability, threshold: r.threshold, d });
  }
  return new Map([...nearest].map(([id, { d: _d, ...n }]) => [id, n]));
}

export function postersWithoutSuggestions(db: Db): { id: number; path: string }[] {
  return prepared(db, 'SELECT id, path FROM posters p WHERE NOT EXISTS (SELECT 1 FROM suggestions s WHERE s.poster_id = p.id) ORDER BY id').all() as {
    id: number;
    path: string;
  }[];
}

/**
 * Unreviewed posters whose suggestions came from a model version no longer active: the process
 * that activated another version was stopped before it had scored them again.
 */
export function postersWithStaleSuggestions(db: Db): { id: number; path: string }[] {
  return prepared(
    db,
    `SELECT id, path FROM posters p WHERE reviewed_at IS NULL AND EXISTS (
       SELECT 1 FROM suggestions s WHERE s.poster_id = p.id AND s.model_version NOT IN (SELECT version FROM model_versions WHERE active = 1))
     ORDER BY id`,
  ).all() as { id: number; path: string }[];
}

export function allPosterPaths(db: Db): { id: number; path: string }[] {
  return prepared(db, 'SELECT id, path FROM posters ORDER BY id').all() as { id: number; path: string }[];
}

export function suggestionsFor(db: Db, posterId: number): { genre: string; probability: number; aboveThreshold: boolean; modelVersion: string }[] {
  return (
    prepared(
      db,
      `SELECT g.name AS genre, s.probability, s.above_threshold, s.model_version FROM suggestions s
       JOIN genres g ON g.id = s.genre_id WHERE s.poster_id = ? ORDER BY s.probability DESC`,
    ).all(posterId) as { genre: string; probability: number; above_threshold: number; model_version: string }[]
  ).map((r) => ({ genre: r.genre, probability: r.probability, aboveThreshold: r.above_threshold === 1, modelVersion: r.model_version }));
}
