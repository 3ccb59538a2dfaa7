/** The library: filtered, sorted pages of posters for the grid; a poster's detail; edits and bulk actions. */
import type { ExportFilter, LibraryItem, LibrarySort, Poster, PosterDetail } from '../../shared/types';
import { decadeOf, GENRE_SEPARATOR } from '../../shared/genres';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { AppError } from '../errors';
import { whereClause } from '../export/exportCsv';
import { labelHistory, labelsOf, setLabels } from './labelRepository';
import { getPoster } from './posterRepository';
import { suggestionsFor } from './suggestionRepository';

const SORT: Record<LibrarySort, string> = {
  imported: 'p.id DESC',
  title: 'p.title IS NULL, p.title COLLATE NOCASE, p.id',
  year: 'p.year IS NULL, p.year, p.id',
  uncertain: 'p.uncertainty IS NULL, p.uncertainty, p.id',
};

export function searchPosters(db: Db, filter: ExportFilter, sort: LibrarySort, offset: number, limit: number): { total: number; items: LibraryItem[] } {
  const where = whereClause(filter);
  const total = db
    .prepare(`SELECT count(*) FROM posters p ${where.sql}`)
    .pluck()
    .get(...where.params) as number;
  const rows = db
    .prepare(
      `SELECT p.id, p.title, p.year, p.vendor, p.thumbnail, p.reviewed_at, p.duplicate_of,
        CASE WHEN p.reviewed_at IS NOT NULL
          THEN (SELECT group_concat(g.name, '${GENRE_SEPARATOR}') FROM poster_labels x JOIN genres g ON g.id = x.genre_id WHERE x.poster_id = p.id)
          ELSE (SELECT group_concat(g.name, '${GENRE_SEPARATOR}') FROM suggestions x JOIN genres g ON g.id = x.genre_id WHERE x.poster_id = p.id AND x.above_threshold = 1)
        END AS genres
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

function requirePoster(db: Db, id: number): Poster {
  const poster = getPoster(db, id);
  if (!poster) throw new AppError('poster-not-found', `There is no poster with id ${id}.`);
  return poster;
}

export function posterDetail(db: Db, id: number): PosterDetail {
  const poster = requirePoster(db, id);
  const pairIds = prepared(db, 'SELECT id FROM posters WHERE duplicate_of = ? UNION SELECT duplicate_of FROM posters WHERE id = ? AND duplicate_of IS NOT NULL')
    .pluck()
    .all(id, id) as number[];
  return {
    poster,
    labels: labelsOf(db, id),
    suggestions: suggestionsFor(db, id),
    history: labelHistory(db, id),
    duplicates: pairIds.map((d) => requirePoster(db, d)),
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

export type BulkAction = { action: 'add-genre'; genre: string } | { action: 'remove-genre'; genre: string } | { action: 'mark-reviewed' };

/**
 * Applies one action to many posters, in one transaction, each change in the label history (so
 * each can be undone). An unreviewed poster starts from its suggested genres.
 */
export function bulkLabel(db: Db, ids: number[], action: BulkAction, reviewer: string | null = null): number {
  return db.transaction(() => {
    let changed = 0;
    for (const id of ids) {
      const current =
        labelsOf(db, id) ??
        suggestionsFor(db, id)
          .filter((s) => s.aboveThreshold)
          .map((s) => s.genre);
      const lower = (g: string) => g.toLowerCase();
      const next =
        action.action === 'add-genre'
          ? [...current.filter((g) => lower(g) !== lower(action.genre)), action.genre]
          : action.action === 'remove-genre'
            ? current.filter((g) => lower(g) !== lower(action.genre))
            : current;
      setLabels(db, id, next, reviewer);
      changed++;
    }
    return changed;
  })();
}
