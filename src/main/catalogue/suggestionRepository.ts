/** Model suggestions: one row per poster and genre, with probability, threshold verdict and model version. */
import type { Db } from '../db/open';
import { nowIso, prepared } from '../db/statements';

export interface Suggestion {
  genreId: number;
  probability: number;
  aboveThreshold: boolean;
}

/**
 * Replaces a poster's suggestions and its review uncertainty (distance of the nearest genre to its
 * threshold). Never touches its labels: a reviewed poster keeps what staff confirmed.
 */
export function replaceSuggestions(db: Db, posterId: number, modelVersion: string, suggestions: Suggestion[], uncertainty: number | null = null): void {
  prepared(db, 'UPDATE posters SET uncertainty = ? WHERE id = ?').run(uncertainty, posterId);
  prepared(db, 'DELETE FROM suggestions WHERE poster_id = ?').run(posterId);
  const insert = prepared(
    db,
    'INSERT INTO suggestions (poster_id, genre_id, probability, above_threshold, model_version, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const at = nowIso();
  for (const s of suggestions) insert.run(posterId, s.genreId, s.probability, s.aboveThreshold ? 1 : 0, modelVersion, at);
}

export function postersWithoutSuggestions(db: Db): { id: number; path: string }[] {
  return prepared(db, 'SELECT id, path FROM posters p WHERE NOT EXISTS (SELECT 1 FROM suggestions s WHERE s.poster_id = p.id) ORDER BY id').all() as {
    id: number;
    path: string;
  }[];
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
