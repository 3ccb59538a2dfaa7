/** The library: filtered, sorted pages of posters for the grid; a poster's detail; edits and bulk actions. */
import type { ExportFilter, LibraryItem, LibrarySort, Poster, PosterDetail } from '../../shared/types';
import { decadeOf, GENRE_SEPARATOR } from '../../shared/genres';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { countMatching, CURRENT_GENRES_SQL, whereClause } from './filterSql';
import { labelHistory, labelsOf, requirePoster } from './labelRepository';
import { suggestionBasisFor } from './suggestionBasisRepository';
import { suggestionsFor } from './suggestionRepository';

const SORT: Record<LibrarySort, string> = {
  imported: 'p.id DESC',
  title: 'p.title IS NULL, p.title COLLATE NOCASE, p.id',
  year: 'p.year IS NULL, p.year, p.id',
  uncertain: 'p.uncertainty IS NULL, p.uncertainty, p.id',
};

export function searchPosters(db: Db, filter: ExportFilter, sort: LibrarySort, offset: number, limit: number): { total: number; items: LibraryItem[] } {
  const where = whereClause(filter);
  const total = countMatching(db, filter);
  const rows = db
    .prepare(
      `SELECT p.id, p.title, p.year, p.vendor, p.thumbnail, p.reviewed_at, p.duplicate_of,
        ${CURRENT_GENRES_SQL} AS genres
       FROM posters p ${where.sql} ORDER BY ${SORT[sort]} LIMIT ? OFFSET ?`,
    )
    .all(...where.params, limit, offset) as {
    id: number;
    title: string | null;
    year: number | null;
    vendor: string | null;
    thumbnail: string;
    reviewed_at: string | null;
    duplicate_of: number | null;
    genres: string | null;
  }[];
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      year: r.year,
      vendor: r.vendor,
      thumbnail: r.thumbnail,
      reviewed: r.reviewed_at !== null,
      duplicateOf: r.duplicate_of,
      genres: r.genres ? r.genres.split(GENRE_SEPARATOR) : [],
    })),
  };
}

export function posterDetail(db: Db, id: number): PosterDetail {
  const poster = requirePoster(db, id);
  const pairIds = prepared(db, 'SELECT id FROM posters WHERE duplicate_of = ? UNION SELECT duplicate_of FROM posters WHERE id = ? AND duplicate_of IS NOT NULL')
    .pluck()
    .all(id, id) as number[];
  return {
    poster,
    labels: labelsOf(db, id),
    current: currentGenres(db, id),
    suggestions: suggestionsFor(db, id),
    history: labelHistory(db, id),
    duplicates: pairIds.map((d) => requirePoster(db, d)),
    basis: suggestionBasisFor(db, id),
  };
}

/** Title, year and vendor as staff correct them; the decade follows the year. */
export function updatePoster(db: Db, id: number, edit: { title?: string | null; year?: number | null; vendor?: string | null }): Poster {
  const poster = requirePoster(db, id);
  const title = edit.title === undefined ? poster.title : edit.title?.trim() || null;
  const year = edit.year === undefined ? poster.year : edit.year;
  const vendor = edit.vendor === undefined ? poster.vendor : edit.vendor?.trim() || null;
  prepared(db, 'UPDATE posters SET title = ?, year = ?, decade = ?, vendor = ? WHERE id = ?').run(title, year, decadeOf(year), vendor, id);
  return requirePoster(db, id);
}

/** The genres poster `id` has now: its confirmed set, else its suggestions with staff's edits applied. */
export function currentGenres(db: Db, id: number): string[] {
  const names = prepared(db, `SELECT ${CURRENT_GENRES_SQL} FROM posters p WHERE p.id = ?`).pluck().get(id) as string | null | undefined;
  return names ? names.split(GENRE_SEPARATOR) : [];
}
