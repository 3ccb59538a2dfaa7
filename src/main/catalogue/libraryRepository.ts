/** The library: filtered, sorted pages of posters for the grid; a poster's detail; edits and bulk actions. */
import type { ConfidenceBand, ExportFilter, LibraryItem, LibrarySort, PosterDetail, PosterUpdated } from '../../shared/types';
import { GENRE_SEPARATOR } from '../../shared/genres';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { AppError } from '../errors';
import { CONFIDENCE_BAND_SQL, countMatching, CURRENT_GENRES_SQL, OPEN_PAIR_SQL, whereClause } from './filterSql';
import { labelHistory, labelsOf, latestLabelChangeId, requirePoster } from './labelRepository';
import { editPosterField, pairSetAsideEdits, posterEdits } from './posterEditRepository';
import { suggestionBasisFor } from './suggestionBasisRepository';
import { nearestSuggestions, suggestionsFor } from './suggestionRepository';

const SORT: Record<LibrarySort, string> = {
  imported: 'p.id DESC',
  title: 'p.title IS NULL, p.title COLLATE NOCASE, p.id',
  year: 'p.year IS NULL, p.year, p.id',
  // Smallest confidence margin first (the bands' measure); posters tagged before it was kept by their distance.
  uncertain: 'p.confidence IS NULL, p.confidence, p.uncertainty IS NULL, p.uncertainty, p.id',
  vendor: 'p.vendor IS NULL, p.vendor COLLATE NOCASE, p.title IS NULL, p.title COLLATE NOCASE, p.id',
  // Most recently reviewed first; posters not reviewed last.
  reviewed: 'p.reviewed_at IS NULL, p.reviewed_at DESC, p.id',
};

interface LibraryRow {
  id: number;
  title: string | null;
  path: string;
  year: number | null;
  vendor: string | null;
  thumbnail: string;
  reviewed_at: string | null;
  duplicate_of: number | null;
  set_aside_at: string | null;
  genres: string | null;
  band: ConfidenceBand | null;
  paired: number;
}

export function searchPosters(db: Db, filter: ExportFilter, sort: LibrarySort, offset: number, limit: number): { total: number; items: LibraryItem[] } {
  const total = countMatching(db, filter);
  // The page's ids first, then their columns: sorted in one query, SQLite worked out the genres and
  // pair state of every matching poster before it could take the page (`npm run bench:library`,
  // 100,000 posters: a page of "not reviewed" 307 → 42 ms, of the title order at 50,000 252 → 60 ms).
  const ids = idsInOrder(db, filter, sort, offset, limit);
  if (ids.length === 0) return { total, items: [] };
  const found = db
    .prepare(
      `SELECT p.id, p.title, p.path, p.year, p.vendor, p.thumbnail, p.reviewed_at, p.duplicate_of, p.set_aside_at,
        ${CURRENT_GENRES_SQL} AS genres, ${CONFIDENCE_BAND_SQL} AS band,
        ${OPEN_PAIR_SQL} AS paired
       FROM posters p WHERE p.id IN (${ids.map(() => '?').join(',')})`,
    )
    .all(...ids) as LibraryRow[];
  const byId = new Map(found.map((r) => [r.id, r]));
  const rows = ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
  const nearest = nearestSuggestions(
    db,
    rows.map((r) => r.id),
  );
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      path: r.path,
      year: r.year,
      vendor: r.vendor,
      thumbnail: r.thumbnail,
      reviewed: r.reviewed_at !== null,
      duplicateOf: r.duplicate_of,
      genres: r.genres ? r.genres.split(GENRE_SEPARATOR) : [],
      reviewedAt: r.reviewed_at,
      confidence: r.band,
      nearest: nearest.get(r.id) ?? null,
      setAside: r.set_aside_at !== null,
      nearDuplicate: r.paired === 1,
    })),
  };
}

/** The ids `searchPosters` would list from `offset`, without the rest of each row. */
export function idsInOrder(db: Db, filter: ExportFilter, sort: LibrarySort, offset: number, limit: number): number[] {
  const where = whereClause(filter);
  return db
    .prepare(`SELECT p.id FROM posters p ${where.sql} ORDER BY ${SORT[sort]} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...where.params, limit, offset) as number[];
}

/** Every poster id matching `filter`, in id order (a bulk action on "all matching"). */
export function idsMatching(db: Db, filter: ExportFilter): number[] {
  const where = whereClause(filter);
  return db
    .prepare(`SELECT p.id FROM posters p ${where.sql} ORDER BY p.id`)
    .pluck()
    .all(...where.params) as number[];
}

/** How many of `ids` match `filter` (the rest of a selection is hidden by it). */
export function countIdsMatching(db: Db, filter: ExportFilter, ids: readonly number[]): number {
  const where = whereClause(filter);
  let n = 0;
  // In chunks: SQLite caps the number of parameters in one statement.
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    n += db
      .prepare(`SELECT count(*) FROM posters p ${where.sql} AND p.id IN (${chunk.map(() => '?').join(',')})`)
      .pluck()
      .get(...where.params, ...chunk) as number;
  }
  return n;
}

export function posterDetail(db: Db, id: number): PosterDetail {
  const poster = requirePoster(db, id);
  const pairIds = prepared(db, 'SELECT id FROM posters WHERE duplicate_of = ? UNION SELECT duplicate_of FROM posters WHERE id = ? AND duplicate_of IS NOT NULL')
    .pluck()
    .all(id, id) as number[];
  const edits = posterEdits(db, id);
  const pairSetAside = pairSetAsideEdits(db, id);
  const named = new Set([
    ...edits.flatMap((e) => (e.field === 'duplicate_of' ? [e.before, e.after] : [])).filter((v): v is number => typeof v === 'number'),
    ...pairSetAside.map((e) => e.posterId),
  ]);
  const exists = prepared(db, 'SELECT 1 FROM posters WHERE id = ?').pluck();
  return {
    poster,
    labels: labelsOf(db, id),
    current: currentGenres(db, id),
    suggestions: suggestionsFor(db, id),
    history: labelHistory(db, id),
    labelChange: latestLabelChangeId(db, id),
    duplicates: pairIds.map((d) => requirePoster(db, d)),
    duplicatesSetAside: pairIds.length
      ? (prepared(db, 'SELECT id FROM posters WHERE id IN (SELECT value FROM json_each(?)) AND set_aside_at IS NOT NULL ORDER BY id')
          .pluck()
          .all(JSON.stringify(pairIds)) as number[])
      : [],
    basis: suggestionBasisFor(db, id),
    edits,
    pairSetAside,
    namedInEdits: [...named].filter((n) => exists.get(n) !== undefined).map((n) => requirePoster(db, n)),
    setAsideAt: prepared(db, 'SELECT set_aside_at FROM posters WHERE id = ?').pluck().get(id) as string | null,
  };
}

type PosterFields = { title?: string | null; year?: number | null; vendor?: string | null };

/**
 * Title, year and vendor as staff correct them, each change recorded (undoable); the decade follows
 * the year. `expected`: what the one saving was shown for the fields they changed; a field changed
 * since (in another window) is refused, naming it, and nothing is saved.
 */
export function updatePoster(db: Db, id: number, edit: PosterFields, reviewer: string | null = null, expected?: PosterFields): PosterUpdated {
  return db.transaction(() => {
    const poster = requirePoster(db, id);
    const text = (v: string | null | undefined) => v?.trim() || null;
    const changed = [
      expected?.title !== undefined && text(expected.title) !== poster.title ? `title (now ${poster.title === null ? 'none' : `“${poster.title}”`})` : null,
      expected?.year !== undefined && expected.year !== poster.year ? `year (now ${poster.year ?? 'none'})` : null,
      expected?.vendor !== undefined && text(expected.vendor) !== poster.vendor
        ? `vendor (now ${poster.vendor === null ? 'none' : `“${poster.vendor}”`})`
        : null,
    ].filter((x): x is string => x !== null);
    if (changed.length)
      throw new AppError(
        'changed-since',
        `This poster's ${changed.join(', ')} ${changed.length > 1 ? 'were' : 'was'} changed in another window since it was shown here, so nothing was saved. Save again to put yours in its place.`,
      );
    const made = [
      edit.title !== undefined ? editPosterField(db, id, 'title', edit.title?.trim() || null, reviewer) : null,
      edit.year !== undefined ? editPosterField(db, id, 'year', edit.year, reviewer) : null,
      edit.vendor !== undefined ? editPosterField(db, id, 'vendor', edit.vendor?.trim() || null, reviewer) : null,
    ];
    return { ...requirePoster(db, id), editIds: made.flatMap((x) => (x ? [x.id] : [])) };
  })();
}

/** The genres poster `id` has now: its confirmed set, else its suggestions with staff's edits applied. */
export function currentGenres(db: Db, id: number): string[] {
  const names = prepared(db, `SELECT ${CURRENT_GENRES_SQL} FROM posters p WHERE p.id = ?`).pluck().get(id) as string | null | undefined;
  return names ? names.split(GENRE_SEPARATOR) : [];
}
