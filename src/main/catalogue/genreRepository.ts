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

function genreById(db: Db, id: number): Genre {
  const row = prepared(db, 'SELECT id, name, retired_at FROM genres WHERE id = ?').get(id) as GenreRow | undefined;
  if (!row) throw new AppError('genre-not-found', `There is no genre with id ${id}.`);
  return toGenre(row);
}

export function findGenreByName(db: Db, name: string): Genre | undefined {
  const row = prepared(db, 'SELECT id, name, retired_at FROM genres WHERE name = ? COLLATE NOCASE').get(name.trim()) as GenreRow | undefined;
  return row && toGenre(row);
}

function refuseTaken(db: Db, name: string, exceptId?: number): void {
  const existing = findGenreByName(db, name);
  if (existing && existing.id !== exceptId) {
    throw new AppError('genre-exists', `A genre named "${existing.name}" already exists${existing.retired ? ' (retired)' : ''}.`);
  }
}

export function addGenre(db: Db, name: string): Genre {
  const clean = name.trim();
  refuseTaken(db, clean);
  const info = prepared(db, 'INSERT INTO genres (name, position, created_at) VALUES (?, (SELECT coalesce(max(position), -1) + 1 FROM genres), ?)').run(
    clean,
    nowIso(),
  );
  return genreById(db, Number(info.lastInsertRowid));
}

/** Labels reference the genre's id, so a rename keeps every label. */
export function renameGenre(db: Db, id: number, name: string): Genre {
  genreById(db, id);
  refuseTaken(db, name.trim(), id);
  prepared(db, 'UPDATE genres SET name = ? WHERE id = ?').run(name.trim(), id);
  return genreById(db, id);
}

/** A retired genre is no longer offered or exported; its labels stay and come back if it is restored. */
export function setGenreRetired(db: Db, id: number, retired: boolean): Genre {
  genreById(db, id);
  prepared(db, 'UPDATE genres SET retired_at = ? WHERE id = ?').run(retired ? nowIso() : null, id);
  return genreById(db, id);
}
