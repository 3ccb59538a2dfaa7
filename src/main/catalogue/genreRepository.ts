import { GENRE_SEPARATOR, GENRE_SYNONYMS } from '../../shared/genres';
import type { Genre } from '../../shared/types';
import type { Db } from '../db/open';
import { nowIso, prepared } from '../db/statements';
import { AppError } from '../errors';

interface GenreRow {
  id: number;
  name: string;
  retired_at: string | null;
}
const toGenre = (r: GenreRow): Genre => ({ id: r.id, name: r.name, retired: r.retired_at !== null });

export function listGenres(db: Db, options: { includeRetired?: boolean } = {}): Genre[] {
  const sql = options.includeRetired
    ? 'SELECT id, name, retired_at FROM genres ORDER BY position, id'
    : 'SELECT id, name, retired_at FROM genres WHERE retired_at IS NULL ORDER BY position, id';
  return (prepared(db, sql).all() as GenreRow[]).map(toGenre);
}

export function genreById(db: Db, id: number): Genre {
  const row = prepared(db, 'SELECT id, name, retired_at FROM genres WHERE id = ?').get(id) as GenreRow | undefined;
  if (!row) throw new AppError('genre-not-found', `There is no genre with id ${id}.`);
  return toGenre(row);
}

const SYNONYM_OF = new Map(Object.entries(GENRE_SYNONYMS).map(([other, genre]) => [other.toLowerCase(), genre]));

/** A genre by its name in any case, or by another name of it ("Sci-Fi", as the cards show it) when no genre is called that. */
export function findGenreByName(db: Db, name: string): Genre | undefined {
  const byName = (n: string) => prepared(db, 'SELECT id, name, retired_at FROM genres WHERE name = ? COLLATE NOCASE').get(n) as GenreRow | undefined;
  const synonym = SYNONYM_OF.get(name.trim().toLowerCase());
  const row = byName(name.trim()) ?? (synonym === undefined ? undefined : byName(synonym));
  return row && toGenre(row);
}

function refuseTaken(db: Db, name: string, exceptId?: number): void {
  const existing = findGenreByName(db, name);
  if (existing && existing.id !== exceptId) {
    throw new AppError('genre-exists', `A genre named "${existing.name}" already exists${existing.retired ? ' (retired)' : ''}.`);
  }
}

/** Longest genre name: fits a chip, a filter menu and a CSV cell. */
export const MAX_GENRE_NAME = 60;

/**
 * The one rule for a genre's name, for adding and renaming from any door: trimmed (inner runs of
 * spaces become one), not empty, at most MAX_GENRE_NAME characters, no "|" (it separates genres in
 * CSV cells and arguments) or control characters, and unique ignoring case.
 */
export function checkGenreName(db: Db, name: string, exceptId?: number): string {
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new AppError('genre-name', 'A genre name cannot contain control characters (tabs, line breaks).');
  const clean = name.trim().replace(/ +/g, ' ');
  if (!clean) throw new AppError('genre-name', 'A genre name cannot be empty.');
  if (clean.length > MAX_GENRE_NAME)
    throw new AppError('genre-name', `A genre name can have at most ${MAX_GENRE_NAME} characters ("${clean.slice(0, 20)}…" has ${clean.length}).`);
  if (clean.includes(GENRE_SEPARATOR))
    throw new AppError('genre-name', `A genre name cannot contain "${GENRE_SEPARATOR}": it separates genres in CSV files ("${clean}").`);
  refuseTaken(db, clean, exceptId);
  return clean;
}

export function addGenre(db: Db, name: string): Genre {
  const clean = checkGenreName(db, name);
  const info = prepared(db, 'INSERT INTO genres (name, position, created_at) VALUES (?, (SELECT coalesce(max(position), -1) + 1 FROM genres), ?)').run(
    clean,
    nowIso(),
  );
  return genreById(db, Number(info.lastInsertRowid));
}

/** Labels reference the genre's id, so a rename keeps every label. */
export function renameGenre(db: Db, id: number, name: string): Genre {
  genreById(db, id);
  prepared(db, 'UPDATE genres SET name = ? WHERE id = ?').run(checkGenreName(db, name, id), id);
  return genreById(db, id);
}

/** A retired genre is no longer offered or exported; its labels stay and come back if it is restored. */
export function setGenreRetired(db: Db, id: number, retired: boolean): Genre {
  genreById(db, id);
  if (retired) prepared(db, 'UPDATE genres SET retired_at = ? WHERE id = ? AND retired_at IS NULL').run(nowIso(), id);
  else prepared(db, 'UPDATE genres SET retired_at = NULL, restored_at = ? WHERE id = ? AND retired_at IS NOT NULL').run(nowIso(), id);
  return genreById(db, id);
}

/**
 * Since when each genre has been offered to reviewers without a break: added, or last brought back
 * from retirement (Review hides a retired genre). A poster confirmed before that never said whether
 * it has the genre.
 */
export function genreOfferedSince(db: Db): Map<number, string> {
  return new Map(
    (prepared(db, 'SELECT id, max(created_at, coalesce(restored_at, created_at)) AS since FROM genres').all() as { id: number; since: string }[]).map((r) => [
      r.id,
      r.since,
    ]),
  );
}

/** Reviewed posters per active genre, in vocabulary order. */
export function reviewedPerGenre(db: Db): { name: string; reviewed: number }[] {
  return prepared(
    db,
    `SELECT g.name, count(p.id) AS reviewed FROM genres g
     LEFT JOIN poster_labels l ON l.genre_id = g.id
     LEFT JOIN posters p ON p.id = l.poster_id AND p.reviewed_at IS NOT NULL
     WHERE g.retired_at IS NULL GROUP BY g.id ORDER BY g.position, g.id`,
  ).all() as { name: string; reviewed: number }[];
}
